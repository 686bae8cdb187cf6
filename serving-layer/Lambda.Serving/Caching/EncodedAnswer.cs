using System.IO.Compression;
using System.Text.Json;
using Lambda.Serving.Api;

namespace Lambda.Serving.Caching;

/// <summary>
/// A metrics answer as the bytes the HTTP API sends: its JSON and the same JSON gzipped. A day of
/// minutes (1,440 rows) is ~330 KB of JSON, ~40 KB gzipped: encoding it is most of the cost of an
/// answer, so the query cache keeps these bytes and a repeat query is a lookup plus a write.
/// </summary>
internal sealed class EncodedAnswer
{
    private readonly Lazy<byte[]> _gzip;

    private EncodedAnswer(byte[] json)
    {
        Json = json;
        // The first reader compresses; readers racing it wait rather than compress the same bytes again.
        _gzip = new Lazy<byte[]>(() => Compress(json));
    }

    public byte[] Json { get; }

    public byte[] Gzip => _gzip.Value;

    /// <summary>The JSON of <paramref name="answer"/>, serialized into a pooled buffer and copied once to its exact size.</summary>
    public static EncodedAnswer Of(MetricsAnswer answer)
    {
        using var buffer = new PooledBufferWriter(256 * (answer.Rows.Count + 4));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            JsonSerializer.Serialize(writer, answer, ServingJsonContext.Default.MetricsAnswer);
        }
        return new EncodedAnswer(buffer.WrittenSpan.ToArray());
    }

    private static byte[] Compress(byte[] json)
    {
        using var output = new MemoryStream(json.Length / 6);
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(json);
        }
        return output.ToArray();
    }
}

using System.Text;
using Lambda.SharedModel.Log;

namespace Lambda.SharedModel.Ingestion;

/// <summary>
/// The id of the request that brought records into the log (<c>POST /v1/events</c> takes it from the
/// caller or makes one). It travels as the record header <see cref="HeaderKey"/> on every record of the
/// request, accepted or dead-lettered, and on to any dead letter the speed layer makes of one, so a
/// caller can follow an event from its request to its dead letter (<c>lambda tail</c> prints it).
/// </summary>
public static class RequestId
{
    /// <summary>The record header that carries the id (a Kafka record header on Kafka).</summary>
    public const string HeaderKey = "lambda-request-id";

    /// <summary>Longest id accepted: room for any tracing id, short enough to print on one line.</summary>
    public const int MaxLength = 128;

    private static ReadOnlySpan<byte> HeaderKeyUtf8 => "lambda-request-id"u8;

    /// <summary>A new id: 32 lowercase hex digits, the shape of a W3C trace-id.</summary>
    public static string New() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// Whether <paramref name="id"/> can be a request id: 1 to <see cref="MaxLength"/> visible ASCII
    /// characters, no spaces (so it prints as one word and is the same bytes in every encoding).
    /// </summary>
    public static bool IsValid(ReadOnlySpan<char> id) => id.Length is > 0 and <= MaxLength && !id.ContainsAnyExceptInRange('!', '~');

    /// <summary>The encoded headers of a record that carries <paramref name="id"/>.</summary>
    public static byte[] Headers(string id)
    {
        if (!IsValid(id))
        {
            throw new ArgumentException($"not a request id: 1 to {MaxLength} visible ASCII characters", nameof(id));
        }

        return new RecordHeadersWriter().Add(HeaderKey, Encoding.ASCII.GetBytes(id)).ToArray();
    }

    /// <summary>The id a record carries, as its bytes; false if it carries none.</summary>
    public static bool TryRead(RecordHeaders headers, out ReadOnlySpan<byte> id) => headers.TryGet(HeaderKeyUtf8, out id);

    /// <summary>The id a record carries, or null.</summary>
    public static string? Of(RecordHeaders headers) => TryRead(headers, out var id) ? Encoding.UTF8.GetString(id) : null;

    /// <summary>
    /// The headers of a record made from <paramref name="source"/> (a dead letter): its request id, if it
    /// has one, and nothing else (other headers describe the source's bytes, not the new record's).
    /// </summary>
    public static byte[]? HeadersDerivedFrom(RecordHeaders source) =>
        TryRead(source, out var id) ? new RecordHeadersWriter().Add(HeaderKey, id).ToArray() : null;
}

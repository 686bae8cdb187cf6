using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Lambda.Serving.Api;
using Microsoft.AspNetCore.Http;

namespace Lambda.Serving.Http;

/// <summary>
/// The JSON (and gzip) bytes of metrics answers, encoded once per answer object. The query cache
/// hands out the same answer object for as long as it is fresh, so a day of minutes (1,440 rows,
/// ~330 KB of JSON, ~40 KB gzipped) is serialized and compressed once per cache period instead of
/// once per request; the table forgets an answer when the cache drops it.
/// </summary>
internal sealed class EncodedAnswers
{
    private readonly ConditionalWeakTable<MetricsAnswer, Encoded> _encoded = [];

    public IResult Result(MetricsAnswer answer) => new EncodedResult(_encoded.GetValue(answer, Encode));

    private static Encoded Encode(MetricsAnswer answer) => new(JsonSerializer.SerializeToUtf8Bytes(answer, ServingJsonContext.Default.MetricsAnswer));

    private sealed class Encoded(byte[] json)
    {
        // The first request compresses; requests racing it wait rather than compress the same bytes again.
        private readonly Lazy<byte[]> _gzip = new(() => Compress(json));

        public byte[] Json { get; } = json;

        public byte[] Gzip => _gzip.Value;

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

    private sealed class EncodedResult(Encoded encoded) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/json; charset=utf-8";
            response.Headers.Vary = "Accept-Encoding";
            var body = encoded.Json;
            if (httpContext.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
            {
                response.Headers.ContentEncoding = "gzip";
                body = encoded.Gzip;
            }
            response.ContentLength = body.Length;
            return response.Body.WriteAsync(body, httpContext.RequestAborted).AsTask();
        }
    }
}

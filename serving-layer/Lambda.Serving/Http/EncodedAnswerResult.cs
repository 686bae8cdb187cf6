using Lambda.Serving.Caching;
using Microsoft.AspNetCore.Http;

namespace Lambda.Serving.Http;

/// <summary>Writes an answer's cached bytes: gzipped for clients that accept gzip, plain JSON otherwise.</summary>
internal sealed class EncodedAnswerResult(EncodedAnswer encoded) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.Vary = "Accept-Encoding";
        var body = encoded.Json;
        if (AcceptsGzip(httpContext.Request))
        {
            response.Headers.ContentEncoding = "gzip";
            body = encoded.Gzip;
        }
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, httpContext.RequestAborted).AsTask();
    }

    private static bool AcceptsGzip(HttpRequest request)
    {
        foreach (var value in request.Headers.AcceptEncoding)
        {
            if (value is not null && value.Contains("gzip", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}

using Lambda.Serving.Access;
using Lambda.Serving.Api;
using Lambda.SharedModel.Codec;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Lambda.Serving.Http;

/// <summary>
/// <c>POST /v1/events</c> (admin keys only): a JSON array of event objects, or JSON Lines, each with
/// a <c>type</c> (served, view, click). Valid records go to their topic, bad ones to dead-letters;
/// 202 once all are durable. A body over <see cref="ServingOptions.MaxRequestBodyBytes"/> is a 413; one
/// with too many invalid records is a 400 with a summary, and nothing of it is appended (<see cref="IngestCheck"/>).
/// Every record appended carries the request's id (<see cref="RequestIdMiddleware"/>), which the 202 names as <c>request_id</c>.
/// </summary>
internal static class EventsEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, EventSink sink, ServingOptions options)
    {
        var limit = options.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            return TooLarge(limit);
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        var body = await ReadAsync(context.Request, limit, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            return TooLarge(limit);
        }
        var requestId = context.Features.GetRequiredFeature<RequestIdFeature>().Id;
        var outcome = await sink.IngestAsync(body.Value, "http:" + context.Caller().KeyId, requestId, options, context.RequestAborted).ConfigureAwait(false);
        if (outcome.BodyError is { } error)
        {
            IngestMeter.RefusedRequest("malformed_body");
            return Problems.BadField("body", error);
        }
        if (outcome.Refusal is { } refusal)
        {
            IngestMeter.RefusedRequest("too_many_rejects");
            return Problems.IngestRefused(outcome.Check, refusal);
        }
        var summary = outcome.Appended!;
        IngestMeter.Appended(summary.Accepted, summary.Rejected);
        var reasons = summary.RejectedByReason.ToDictionary(r => r.Key.Code(), r => r.Value, StringComparer.Ordinal);
        return TypedResults.Json(new IngestAnswer(summary.Accepted, summary.Rejected, reasons, requestId), statusCode: StatusCodes.Status202Accepted);
    }

    internal static IResult TooLarge(long limit) => Results.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Request body too large",
        detail: $"The body is larger than {limit} bytes; send the events in smaller requests.");

    /// <summary>
    /// The body, or null if it is longer than <paramref name="limit"/>. With a Content-Length, read into
    /// one array of that size (no growing buffer and final copy: 3× the body for a 4 MiB request).
    /// </summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        try
        {
            if (request.ContentLength is { } length)
            {
                var exact = new byte[length];
                await request.Body.ReadExactlyAsync(exact, cancellationToken).ConfigureAwait(false);
                return exact;
            }
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        catch (EndOfStreamException)
        {
            // Kestrel reports a short body itself; other servers end the stream early.
            throw new BadHttpRequestException("The body is shorter than its Content-Length.", StatusCodes.Status400BadRequest);
        }
    }
}

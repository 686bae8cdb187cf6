using Lambda.Serving.Access;
using Lambda.Serving.Api;
using Lambda.SharedModel.Codec;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Lambda.Serving.Http;

/// <summary>
/// <c>POST /v1/events</c> (admin keys only): a JSON array of event objects, or JSON Lines, each with
/// a <c>type</c> (served, view, click). Valid records go to their topic, bad ones to dead-letters;
/// 202 once all are durable. A body over <see cref="ServingOptions.MaxRequestBodyBytes"/> is a 413.
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

        var body = await ReadAsync(context.Request.Body, limit, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            return TooLarge(limit);
        }
        var records = EventBody.Split(body.Value, out var error);
        if (records is null)
        {
            return Problems.BadField("body", error!);
        }

        var summary = await sink.IngestAsync(records, "http:" + context.Caller().KeyId, context.RequestAborted).ConfigureAwait(false);
        var reasons = summary.RejectedByReason.ToDictionary(r => r.Key.Code(), r => r.Value, StringComparer.Ordinal);
        return TypedResults.Json(new IngestAnswer(summary.Accepted, summary.Rejected, reasons), statusCode: StatusCodes.Status202Accepted);
    }

    internal static IResult TooLarge(long limit) => Results.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Request body too large",
        detail: $"The body is larger than {limit} bytes; send the events in smaller requests.");

    /// <summary>The body, or null if it is longer than <paramref name="limit"/>.</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        try
        {
            while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        return buffer.ToArray();
    }
}

using Lambda.Serving.Access;
using Lambda.Serving.Caching;
using Lambda.Serving.Merge;
using Lambda.SharedModel.Time;
using Microsoft.AspNetCore.Http;

namespace Lambda.Serving.Http;

/// <summary><c>GET /v1/campaigns/{id}/metrics?from&amp;to&amp;granularity</c>: the merged metrics of one campaign.</summary>
internal static class MetricsEndpoint
{
    // Ids are opaque strings of at most 128 bytes (the event codec's limit); a longer one cannot exist.
    private const int MaxIdBytes = Lambda.SharedModel.Codec.EventDecoder.MaxIdBytes;

    public static async Task<IResult> HandleAsync(string id, string? from, string? to, string? granularity,
        HttpContext context, AccessDirectory directory, MetricsQuery query)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(id) > MaxIdBytes)
        {
            return Problems.BadField("id", $"a campaign id is at most {MaxIdBytes} bytes");
        }
        if (!QueryParameters.TryTime(from, "from", out var fromMs, out var error)
            || !QueryParameters.TryTime(to, "to", out var toMs, out error)
            || !QueryParameters.TryGranularity(granularity, Granularity.Minute, out var g, out error))
        {
            return error!;
        }
        if (QueryLimits.Check(fromMs, toMs, g) is { } bad)
        {
            return Problems.BadField(bad.Field, bad.Message);
        }
        if (await directory.FindVisibleCampaignAsync(context.Caller(), id, context.RequestAborted).ConfigureAwait(false) is null)
        {
            return Problems.CampaignNotFound(id);
        }
        var answer = await query.RunCachedAsync(id, fromMs, toMs, g, context.RequestAborted).ConfigureAwait(false);
        return new EncodedAnswerResult(answer.Encoded);
    }
}

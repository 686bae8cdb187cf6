using Lambda.Serving.Access;
using Lambda.Serving.Api;
using Lambda.Serving.Merge;
using Lambda.SharedModel.Time;
using Lambda.SharedModel.Views;
using Microsoft.AspNetCore.Http;

namespace Lambda.Serving.Http;

/// <summary>
/// <c>GET /v1/campaigns/top?metric&amp;from&amp;to&amp;limit</c>: the caller's campaigns ranked by one
/// metric over the range, from the same merge as the metrics endpoint (at the coarsest granularity
/// whose buckets both ends fall on). Costs one merged query per visible campaign.
/// </summary>
internal static class TopCampaignsEndpoint
{
    private static readonly string[] Metrics = ["impressions", "views", "clicks", "spend_micros", "ctr"];

    public static async Task<IResult> HandleAsync(string? metric, string? from, string? to, string? limit,
        HttpContext context, IViewStore store, MetricsQuery query)
    {
        if (string.IsNullOrEmpty(metric) || Array.IndexOf(Metrics, metric) < 0)
        {
            return Problems.BadField("metric", $"unknown metric '{metric}': expected one of {string.Join(", ", Metrics)}");
        }
        if (!QueryParameters.TryTime(from, "from", out var fromMs, out var error)
            || !QueryParameters.TryTime(to, "to", out var toMs, out error)
            || !QueryParameters.TryInt(limit, "limit", 10, 1, 100, out var top, out error))
        {
            return error!;
        }
        var granularity = Coarsest(fromMs, toMs);
        if (QueryLimits.Check(fromMs, toMs, granularity) is { } bad)
        {
            return Problems.BadField(bad.Field, bad.Message);
        }

        var caller = context.Caller();
        var campaigns = await store.ListCampaignsAsync(caller.IsAdmin ? null : caller.AdvertiserId, context.RequestAborted).ConfigureAwait(false);
        var rows = new List<TopCampaignRow>(campaigns.Count);
        foreach (var campaign in campaigns)
        {
            var answer = await query.RunAsync(campaign.CampaignId, fromMs, toMs, granularity, context.RequestAborted).ConfigureAwait(false);
            rows.Add(new TopCampaignRow(campaign.CampaignId, ValueOf(metric, answer.Totals)));
        }
        rows.Sort((a, b) => b.Value != a.Value ? b.Value.CompareTo(a.Value) : string.CompareOrdinal(a.CampaignId, b.CampaignId));
        if (rows.Count > top)
        {
            rows.RemoveRange(top, rows.Count - top);
        }
        return TypedResults.Ok(new TopCampaigns(metric, ApiTime.FromMs(fromMs), ApiTime.FromMs(toMs), rows));
    }

    private static Granularity Coarsest(long fromMs, long toMs)
    {
        for (var g = Granularity.Day; g > Granularity.Minute; g--)
        {
            if (fromMs % g.LengthMs() == 0 && toMs % g.LengthMs() == 0 && QueryLimits.Check(fromMs, toMs, g) is null)
            {
                return g;
            }
        }
        return Granularity.Minute;
    }

    private static double ValueOf(string metric, MetricsTotals totals) => metric switch
    {
        "impressions" => totals.Impressions,
        "views" => totals.Views,
        "clicks" => totals.Clicks,
        "spend_micros" => totals.SpendMicros,
        _ => totals.Ctr,
    };
}

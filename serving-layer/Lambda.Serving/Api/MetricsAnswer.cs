namespace Lambda.Serving.Api;

/// <summary>
/// The answer of <c>GET /v1/campaigns/{id}/metrics</c> and <c>lambda query --json</c>. <see cref="From"/>
/// and <see cref="To"/> are the requested range widened to whole buckets.
/// </summary>
/// <param name="BatchWatermark">W of <see cref="BatchVersion"/>; null before the first batch run.</param>
public sealed record MetricsAnswer(
    string CampaignId,
    DateTime From,
    DateTime To,
    string Granularity,
    DateTime? BatchWatermark,
    long? BatchVersion,
    SpeedFreshness Freshness,
    IReadOnlyList<MetricsRow> Rows,
    MetricsTotals Totals,
    IReadOnlyList<TimeGap> Gaps);

using Lambda.Serving.Api;

namespace Lambda.Serving.Merge;

/// <summary>What <see cref="BucketMerger"/> produces: one row per bucket, the totals and the gaps.</summary>
public sealed record MergedMetrics(IReadOnlyList<MetricsRow> Rows, MetricsTotals Totals, IReadOnlyList<TimeGap> Gaps);

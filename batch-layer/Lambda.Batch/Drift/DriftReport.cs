namespace Lambda.Batch.Drift;

/// <summary>
/// <c>batch/drift/v&lt;N&gt;.json</c>: the speed layer compared with version N's exact minute rows over
/// the dates that run recomputed (all before W, so closed in both layers), per campaign and day.
/// </summary>
public sealed record DriftReport(
    long VersionId,
    long WatermarkMs,
    DateTimeOffset CreatedAt,
    IReadOnlyList<DateOnly> Dates,
    IReadOnlyList<PartitionCounters> Partitions,
    IReadOnlyList<CampaignDayDrift> Days);

namespace Lambda.Serving.Api;

/// <summary>One bucket of a metrics answer. A missing bucket carries zeros that mean "unknown".</summary>
/// <param name="Bucket">Start of the bucket (UTC).</param>
/// <param name="Approximate">False only for a batch bucket; speed and missing buckets are approximate.</param>
/// <param name="Uniques">Distinct users: exact for a batch bucket, a HyperLogLog estimate otherwise.</param>
/// <param name="UniquesError">One standard error of <paramref name="Uniques"/> (0 when exact).</param>
public sealed record MetricsRow(
    DateTime Bucket,
    BucketSource Source,
    bool Approximate,
    long Impressions,
    long Views,
    long Clicks,
    long SpendMicros,
    double Ctr,
    long Uniques,
    long UniquesError,
    long BotFiltered,
    long Late,
    long Unattributed,
    long Duplicates);

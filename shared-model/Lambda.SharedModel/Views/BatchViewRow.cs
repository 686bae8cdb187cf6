namespace Lambda.SharedModel.Views;

/// <summary>
/// One exact batch-layer row of a batch view version, at minute, hour or day granularity.
/// </summary>
/// <param name="Granularity">"minute", "hour" or "day" (see Time.Granularity).</param>
/// <param name="Uniques">Exact count of distinct users in the bucket.</param>
/// <param name="UniquesSketch">The same users as a HyperLogLog sketch, byte-identical to what the
/// speed layer would build from the same input, so batch and speed buckets can be unioned.</param>
public sealed record BatchViewRow(
    string CampaignId,
    string Granularity,
    long BucketStartMs,
    MetricCounts Counts,
    long Uniques,
    byte[] UniquesSketch);

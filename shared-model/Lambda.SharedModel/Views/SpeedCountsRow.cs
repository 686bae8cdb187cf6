namespace Lambda.SharedModel.Views;

/// <summary>
/// The counters of one speed row (campaign, minute bucket, log partition) without its sketch: what the
/// speed layer writes for a final window whose unique users can no longer change and whose sketch is
/// already stored, so it has let the sketch go. Full values, like <see cref="SpeedViewRow"/>.
/// </summary>
/// <param name="Final">True once the partition's watermark has passed the bucket's end.</param>
public sealed record SpeedCountsRow(
    string CampaignId,
    long BucketStartMs,
    int Partition,
    MetricCounts Counts,
    bool Final);

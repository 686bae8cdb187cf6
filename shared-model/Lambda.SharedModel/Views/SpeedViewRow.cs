namespace Lambda.SharedModel.Views;

/// <summary>
/// One speed-layer row: the full value (never an increment) of one (campaign, minute bucket, log
/// partition). Writing the same row twice changes nothing; the serving layer sums partitions and
/// unions their sketches at read time.
/// </summary>
/// <param name="UniquesSketch">HyperLogLog sketch of the bucket's users, in the shared sketch format.</param>
/// <param name="Final">True once the partition's watermark has passed the bucket's end.</param>
public sealed record SpeedViewRow(
    string CampaignId,
    long BucketStartMs,
    int Partition,
    MetricCounts Counts,
    byte[] UniquesSketch,
    bool Final);

namespace Lambda.Serving.Api;

/// <summary>How current the speed part of an answer is.</summary>
/// <param name="SpeedWatermark">The lowest watermark over the speed layer's partitions: buckets after it are still filling.</param>
/// <param name="SpeedUpdatedAt">The oldest report time over the partitions.</param>
/// <param name="Lag">Records not yet processed, summed over partitions.</param>
/// <param name="SpeedReadAt">When the speed rows of this answer were read from the store.</param>
/// <param name="MaxStalenessMs">The serving cache's bound on <c>now - speed_read_at</c>.</param>
public sealed record SpeedFreshness(
    DateTime? SpeedWatermark,
    DateTime? SpeedUpdatedAt,
    long Lag,
    DateTime SpeedReadAt,
    long MaxStalenessMs);

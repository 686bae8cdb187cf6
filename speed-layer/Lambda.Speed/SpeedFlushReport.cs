namespace Lambda.Speed;

/// <summary>
/// Reported after each successful flush of a partition: every record of the partition with a log
/// time at or before <see cref="LogTimeMs"/> is visible in the speed view since <see cref="VisibleAt"/>.
/// Used to measure append-to-visible latency.
/// </summary>
public readonly record struct SpeedFlushReport(int Partition, long LogTimeMs, DateTimeOffset VisibleAt, int Rows, long Processed);

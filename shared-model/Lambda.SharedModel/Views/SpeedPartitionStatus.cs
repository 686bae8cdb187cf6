namespace Lambda.SharedModel.Views;

/// <summary>
/// What a speed worker reports about one log partition, for `lambda status` and /v1/status.
/// Counters are totals since the partition's state began (they survive restarts via the checkpoint).
/// </summary>
public sealed record SpeedPartitionStatus(
    int Partition,
    string Owner,
    long WatermarkMs,
    long Lag,
    double EventsPerSecond,
    long Processed,
    long BotFiltered,
    long Late,
    long Unattributed,
    long Duplicates,
    long DeadLettered,
    DateTimeOffset UpdatedAt);

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
    DateTimeOffset UpdatedAt,
    long OwnerMismatched = 0,
    long FutureDated = 0)
{
    /// <summary>
    /// How long a partition may go without a report before it is shown as stale: a running worker reports
    /// at every flush (500 ms by default), idle or not, so a silence this long means it stopped or hangs.
    /// </summary>
    public static readonly TimeSpan DefaultStaleAfter = TimeSpan.FromSeconds(30);

    /// <summary>Whether the last report is older than <paramref name="staleAfter"/> at <paramref name="now"/>.</summary>
    public bool IsStale(DateTimeOffset now, TimeSpan staleAfter) => now - UpdatedAt > staleAfter;

    // OwnerMismatched: served records dead-lettered because they named an advertiser that does not own
    // the campaign. FutureDated: records dead-lettered because their event time lay further ahead of their
    // log time than the allowed skew. Both are also in DeadLettered.
}

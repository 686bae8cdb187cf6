namespace Lambda.Speed;

/// <summary>
/// How much the speed state holds, summed over partitions: for watching memory (the soak), not for
/// logic. Read from another thread without locks, so a figure may be a moment old.
/// </summary>
/// <param name="Windows">(campaign, minute) windows in memory, open or final (each with a sketch of up to 16 KB).</param>
/// <param name="DedupeIds">Event ids the dedupe windows remember.</param>
/// <param name="DedupeSlots">Slots of the dedupe id tables (8 bytes each).</param>
/// <param name="PendingJoins">Views and clicks waiting for their ad's served record.</param>
/// <param name="Ads">Ads in the ad directories.</param>
public readonly record struct SpeedStateSize(long Windows, long DedupeIds, long DedupeSlots, long PendingJoins, long Ads)
{
    /// <summary>The sum of two sizes.</summary>
    public static SpeedStateSize operator +(SpeedStateSize a, SpeedStateSize b) =>
        new(a.Windows + b.Windows, a.DedupeIds + b.DedupeIds, a.DedupeSlots + b.DedupeSlots, a.PendingJoins + b.PendingJoins, a.Ads + b.Ads);

    /// <summary>The sum of two sizes.</summary>
    public static SpeedStateSize Add(SpeedStateSize a, SpeedStateSize b) => a + b;
}

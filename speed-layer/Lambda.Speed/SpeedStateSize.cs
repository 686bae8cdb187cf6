namespace Lambda.Speed;

/// <summary>
/// How much the speed state holds, summed over partitions: for watching memory (the soak), not for
/// logic. Read from another thread without locks, so a figure may be a moment old.
/// </summary>
/// <param name="Windows">(campaign, minute) windows in memory, open or final.</param>
/// <param name="WindowSketches">Windows still holding their unique users sketch (the others hold counters only).</param>
/// <param name="SketchBytes">Memory of those sketches (up to 16,448 B each), as of each window's last flush.</param>
/// <param name="DedupeIds">Event ids the dedupe windows remember.</param>
/// <param name="DedupeSlots">Slots of the dedupe id tables (8 bytes each).</param>
/// <param name="PendingJoins">Views and clicks waiting for their ad's served record.</param>
/// <param name="Ads">Ads in the ad directories.</param>
public readonly record struct SpeedStateSize(
    long Windows, long WindowSketches, long SketchBytes, long DedupeIds, long DedupeSlots, long PendingJoins, long Ads)
{
    /// <summary>Estimated memory of the windows: <see cref="WindowBytesWithoutSketch"/> each, plus their sketches.</summary>
    public long WindowBytes => (Windows * WindowBytesWithoutSketch) + SketchBytes;

    /// <summary>Estimated memory of a window without its sketch (object, dictionary entry, index key).</summary>
    public static int WindowBytesWithoutSketch => State.CampaignWindow.CountersBytes;

    /// <summary>The sum of two sizes.</summary>
    public static SpeedStateSize operator +(SpeedStateSize a, SpeedStateSize b) =>
        new(a.Windows + b.Windows, a.WindowSketches + b.WindowSketches, a.SketchBytes + b.SketchBytes, a.DedupeIds + b.DedupeIds,
            a.DedupeSlots + b.DedupeSlots, a.PendingJoins + b.PendingJoins, a.Ads + b.Ads);

    /// <summary>The sum of two sizes.</summary>
    public static SpeedStateSize Add(SpeedStateSize a, SpeedStateSize b) => a + b;
}

using Lambda.SharedModel.Time;

namespace Lambda.Batch.Recompute;

/// <summary>
/// The batch watermark W: the end of the last complete UTC day. A day is complete once the newest
/// log time archived is at least the day's end plus the completeness cutoff, so W is always a midnight
/// and every bucket before it is final in the batch view.
/// </summary>
public static class BatchWatermark
{

    /// <summary>W for the newest archived log time; a day ends at W when <c>W + cutoff ≤ newest</c>.</summary>
    public static long Compute(long newestLogTimeMs, TimeSpan cutoff) =>
        TimeBucket.Floor(newestLogTimeMs - (long)cutoff.TotalMilliseconds, Granularity.Day).StartMs;

    /// <summary>The UTC date holding <paramref name="epochMs"/>.</summary>
    public static DateOnly DateOf(long epochMs) =>
        DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(TimeBucket.Floor(epochMs, Granularity.Day).StartMs).UtcDateTime);

    /// <summary>The start of <paramref name="date"/> (UTC midnight) in epoch ms.</summary>
    public static long StartOf(DateOnly date) =>
        new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();

    /// <summary>Whether <paramref name="date"/> lies wholly before <paramref name="watermarkMs"/>.</summary>
    public static bool IsBefore(DateOnly date, long watermarkMs) => StartOf(date) + Granularities.DayMs <= watermarkMs;
}

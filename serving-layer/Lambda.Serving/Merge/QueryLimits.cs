using Lambda.SharedModel.Time;

namespace Lambda.Serving.Merge;

/// <summary>
/// The widest range a query may ask for at each granularity: 7 days of minutes (10,080 rows),
/// 90 days of hours (2,160 rows), 3 years (1,096 days) of days. Wider asks are a 400.
/// </summary>
public static class QueryLimits
{
    /// <summary>The earliest <c>from</c>/<c>to</c> accepted: 0001-01-01T00:00:00Z, the first instant a <see cref="DateTime"/> holds.</summary>
    public static readonly long EarliestMs = new DateTimeOffset(DateTime.MinValue, TimeSpan.Zero).ToUnixTimeMilliseconds();

    /// <summary>
    /// The latest <c>from</c>/<c>to</c> accepted: 9999-12-31T00:00:00Z. A range is widened to whole
    /// buckets (days at most), and the answer's times must stay within what a <see cref="DateTime"/> holds.
    /// </summary>
    public static readonly long LatestMs = new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    /// <summary>The widest [from, to) allowed at <paramref name="granularity"/>.</summary>
    public static TimeSpan MaxRange(Granularity granularity) => granularity switch
    {
        Granularity.Minute => TimeSpan.FromDays(7),
        Granularity.Hour => TimeSpan.FromDays(90),
        _ => TimeSpan.FromDays(1096),
    };

    /// <summary>
    /// Null if [<paramref name="fromMs"/>, <paramref name="toMs"/>) is a valid range at
    /// <paramref name="granularity"/>; otherwise the field at fault and why.
    /// </summary>
    public static (string Field, string Message)? Check(long fromMs, long toMs, Granularity granularity)
    {
        if (fromMs >= toMs)
        {
            return ("to", "'to' must be after 'from'");
        }
        var max = MaxRange(granularity);
        if (toMs - fromMs > (long)max.TotalMilliseconds)
        {
            return ("to", $"the range is longer than {max.TotalDays:0} days, the most allowed at granularity {granularity.Name()}; use a coarser granularity or a shorter range");
        }
        return null;
    }
}

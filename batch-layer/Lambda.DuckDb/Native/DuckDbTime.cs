namespace Lambda.DuckDb.Native;

/// <summary>Conversions between <see cref="DateTime"/> and DuckDB's timestamps (microseconds since the Unix epoch).</summary>
internal static class DuckDbTime
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    /// <summary>Local times are converted to UTC; unspecified ones are taken as UTC. Sub-microsecond ticks are dropped.</summary>
    internal static long ToMicros(DateTime value)
    {
        if (value.Kind == DateTimeKind.Local)
        {
            value = value.ToUniversalTime();
        }
        return (value.Ticks - DateTime.UnixEpoch.Ticks) / TicksPerMicrosecond;
    }

    /// <summary>A UTC time; DuckDB's ±infinity and values outside DateTime's range throw.</summary>
    internal static DateTime FromMicros(long micros) =>
        new(checked(DateTime.UnixEpoch.Ticks + (micros * TicksPerMicrosecond)), DateTimeKind.Utc);
}

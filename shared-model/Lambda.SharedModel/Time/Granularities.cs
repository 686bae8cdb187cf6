namespace Lambda.SharedModel.Time;

/// <summary>Names, lengths and parsing of <see cref="Granularity"/>.</summary>
public static class Granularities
{
    public const long MinuteMs = 60_000;
    public const long HourMs = 3_600_000;
    public const long DayMs = 86_400_000;

    /// <summary>Every granularity, finest first.</summary>
    public static IReadOnlyList<Granularity> All { get; } = [Granularity.Minute, Granularity.Hour, Granularity.Day];

    /// <summary>The bucket length in milliseconds (UTC days have no leap seconds in Unix time).</summary>
    public static long LengthMs(this Granularity granularity) => granularity switch
    {
        Granularity.Minute => MinuteMs,
        Granularity.Hour => HourMs,
        Granularity.Day => DayMs,
        _ => throw new ArgumentOutOfRangeException(nameof(granularity), granularity, "unknown granularity"),
    };

    /// <summary>The lower-case name: <c>minute</c>, <c>hour</c> or <c>day</c>.</summary>
    public static string Name(this Granularity granularity) => granularity switch
    {
        Granularity.Minute => "minute",
        Granularity.Hour => "hour",
        Granularity.Day => "day",
        _ => throw new ArgumentOutOfRangeException(nameof(granularity), granularity, "unknown granularity"),
    };

    /// <summary>Parses <c>minute</c>, <c>hour</c> or <c>day</c>, case-insensitively (surrounding spaces ignored).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Granularity granularity)
    {
        text = text.Trim();
        foreach (var candidate in All)
        {
            if (text.Equals(candidate.Name(), StringComparison.OrdinalIgnoreCase))
            {
                granularity = candidate;
                return true;
            }
        }

        granularity = default;
        return false;
    }

    /// <summary>As <see cref="TryParse"/>; <see cref="FormatException"/> naming the accepted values otherwise.</summary>
    public static Granularity Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var granularity)
            ? granularity
            : throw new FormatException($"unknown granularity '{text}': expected one of minute, hour, day");
    }
}

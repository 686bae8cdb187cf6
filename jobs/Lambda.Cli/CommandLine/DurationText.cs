using System.Globalization;

namespace Lambda.Cli.CommandLine;

/// <summary>Durations as operators write them: a whole number and a unit, <c>90s</c>, <c>30m</c>, <c>12h</c>, <c>7d</c>.</summary>
internal static class DurationText
{
    public const string Rule = "a whole number of s, m, h or d, e.g. 30m or 7d";

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> if it is not a positive duration of that form.</summary>
    public static TimeSpan Parse(string text)
    {
        var t = text.Trim();
        if (t.Length < 2 || !long.TryParse(t.AsSpan(0, t.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
        {
            throw new FormatException($"'{text}' is not {Rule}");
        }

        return char.ToLowerInvariant(t[^1]) switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            _ => throw new FormatException($"'{text}' is not {Rule}"),
        };
    }
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace Lambda.Bench;

/// <summary>The numbers of one stats line of the host (event 7100: <c>name=value</c> pairs), by name.</summary>
internal sealed partial class HostStats
{
    private readonly Dictionary<string, double> _values = new(StringComparer.Ordinal);

    /// <summary>The line's numeric <c>name=value</c> pairs; empty for null or a line without any.</summary>
    public static HostStats Parse(string? line)
    {
        var stats = new HostStats();
        if (line is not null)
        {
            foreach (Match m in Pair().Matches(line))
            {
                if (double.TryParse(m.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    stats._values[m.Groups["name"].Value] = value;
                }
            }
        }

        return stats;
    }

    /// <summary>The value named <paramref name="name"/>, or 0 if the line has none (an older host).</summary>
    public double this[string name] => _values.GetValueOrDefault(name);

    [GeneratedRegex(@"(?<name>[a-z0-9_]+)=(?<value>-?[0-9]+(\.[0-9]+)?)(?=\s|$)")]
    private static partial Regex Pair();
}

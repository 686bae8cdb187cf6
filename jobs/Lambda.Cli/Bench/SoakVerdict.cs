using System.Globalization;

namespace Lambda.Cli.Bench;

/// <summary>
/// Whether a soak stayed flat: the last window's average memory (RSS and GC heap) and p99 query latency
/// within a tolerance of the first stable window's (the one after the warm-up), lag bounded by a few
/// seconds of input all through the last window, and no failed query.
/// </summary>
internal static class SoakVerdict
{
    /// <summary>Growth allowed from the first stable window to the last.</summary>
    public const double Tolerance = 0.25;

    /// <summary>p99 latency may also grow by this much in absolute terms (small latencies are noisy).</summary>
    public const double LatencySlackMs = 20;

    /// <summary>Lag allowed at any sample of the last window, in seconds of input.</summary>
    public const double MaxLagSeconds = 5;

    public static IReadOnlyList<string> Problems(IReadOnlyList<SoakSample> samples, TimeSpan window, long rate)
    {
        var problems = new List<string>();
        var end = samples[^1].ElapsedSeconds;
        var first = samples.Where(s => s.ElapsedSeconds > window.TotalSeconds && s.ElapsedSeconds <= 2 * window.TotalSeconds).ToList();
        var last = samples.Where(s => s.ElapsedSeconds > end - window.TotalSeconds).ToList();
        if (first.Count == 0 || last.Count == 0)
        {
            return ["the run is too short for a warm-up, a first window and a last window"];
        }

        void Flat(string what, Func<SoakSample, double> metric, double slack)
        {
            var before = first.Average(metric);
            var after = last.Average(metric);
            if (after > before * (1 + Tolerance) + slack)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{what} grew from {before:F1} to {after:F1} (more than {Tolerance:P0})"));
            }
        }

        Flat("RSS (MB)", s => s.RssBytes / 1048576.0, 0);
        Flat("GC heap (MB)", s => s.GcHeapBytes / 1048576.0, 0);
        Flat("p99 query latency (ms)", s => s.P99Ms, LatencySlackMs);
        var maxLag = last.Max(s => s.Lag);
        if (maxLag > rate * MaxLagSeconds)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"lag reached {maxLag} records in the last window, more than {MaxLagSeconds} s of input"));
        }

        if (samples.Sum(s => s.Errors) is var errors and > 0)
        {
            problems.Add($"{errors} queries failed");
        }

        return problems;
    }
}

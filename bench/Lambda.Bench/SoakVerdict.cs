using System.Globalization;

namespace Lambda.Bench;

/// <summary>
/// Whether a soak stayed flat. Two windows are compared: the first after the warm-up and the last. Memory
/// (RSS, and the live heap: what survived the latest gen2 collection) and query p99 of the last window must
/// be within a tolerance of the first's; lag must stay under a few seconds of input all through the last
/// window; no query may fail. Memory is averaged over a window's samples; p99 is taken over all of a
/// window's queries pooled (an average of per-sample p99s would be an average of single slowest queries).
/// The GC heap with its garbage is not judged: between gen2 collections it holds the large arrays freed
/// since the last one, so it swings with the collector's budget, not with what the process keeps.
/// </summary>
internal static class SoakVerdict
{
    /// <summary>Growth allowed from the first stable window to the last.</summary>
    public const double Tolerance = 0.25;

    /// <summary>p99 latency may also grow by this much in absolute terms (small latencies are noisy).</summary>
    public const double LatencySlackMs = 20;

    /// <summary>Lag allowed at any sample of the last window, in seconds of input.</summary>
    public const double MaxLagSeconds = 5;

    /// <summary>The problems found; empty if the run was flat.</summary>
    /// <param name="samples">The rows, in time order.</param>
    /// <param name="queries">Every query of the run.</param>
    /// <param name="warmup">Time before the first window: the designed fill of the host's state.</param>
    /// <param name="window">Length of the first and last windows.</param>
    /// <param name="rate">Events per second of input (lag is judged in seconds of it).</param>
    public static IReadOnlyList<string> Problems(IReadOnlyList<SoakSample> samples, IReadOnlyList<SoakQuery> queries, TimeSpan warmup,
        TimeSpan window, long rate)
    {
        var problems = new List<string>();
        var (firstFrom, firstTo, lastFrom, _) = Windows(samples, warmup, window);
        var first = samples.Where(s => s.ElapsedSeconds > firstFrom && s.ElapsedSeconds <= firstTo).ToList();
        var last = samples.Where(s => s.ElapsedSeconds > lastFrom).ToList();
        if (first.Count == 0 || last.Count == 0 || lastFrom < firstTo)
        {
            return ["the run is too short for a warm-up, a first window and a last window"];
        }

        void Flat(string what, double before, double after, double slack)
        {
            if (after > before * (1 + Tolerance) + slack)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{what} grew from {before:F1} to {after:F1} (more than {Tolerance:P0})"));
            }
        }

        Flat("RSS (MB)", first.Average(s => s.RssBytes) / 1048576.0, last.Average(s => s.RssBytes) / 1048576.0, 0);
        Flat("live heap after gen2 (MB)", first.Average(s => s.LiveHeapBytes) / 1048576.0, last.Average(s => s.LiveHeapBytes) / 1048576.0, 0);
        Flat("p99 query latency (ms)",
            Percentile(queries.Where(q => q.AtSeconds > firstFrom && q.AtSeconds <= firstTo).Select(q => q.Ms), 0.99),
            Percentile(queries.Where(q => q.AtSeconds > lastFrom).Select(q => q.Ms), 0.99), LatencySlackMs);
        var maxLag = last.Max(s => s.Lag);
        if (maxLag > rate * MaxLagSeconds)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"lag reached {maxLag} records in the last window, more than {MaxLagSeconds} s of input"));
        }

        if (queries.Count(q => !q.Ok) is var errors and > 0)
        {
            problems.Add($"{errors} queries failed");
        }

        return problems;
    }

    /// <summary>The figures the verdict compares, for the report: each window's mean RSS and live heap, pooled p99 and largest lag.</summary>
    public static string Summary(IReadOnlyList<SoakSample> samples, IReadOnlyList<SoakQuery> queries, TimeSpan warmup, TimeSpan window)
    {
        var (firstFrom, firstTo, lastFrom, end) = Windows(samples, warmup, window);
        return $"first window {Describe(firstFrom, firstTo)}; last window {Describe(lastFrom, end)}";

        string Describe(double from, double to)
        {
            var rows = samples.Where(s => s.ElapsedSeconds > from && s.ElapsedSeconds <= to).ToList();
            if (rows.Count == 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"({from:F0}-{to:F0} s): no samples");
            }

            var p99 = Percentile(queries.Where(q => q.AtSeconds > from && q.AtSeconds <= to).Select(q => q.Ms), 0.99);
            return string.Create(CultureInfo.InvariantCulture,
                $"({from:F0}-{to:F0} s): RSS {rows.Average(s => s.RssBytes) / 1048576.0:F0} MB, live heap {rows.Average(s => s.LiveHeapBytes) / 1048576.0:F0} MB, p99 {p99:F0} ms, max lag {rows.Max(s => s.Lag)} records");
        }
    }

    /// <summary>The first window starts at the warm-up's end; the last ends at the last sample.</summary>
    private static (double FirstFrom, double FirstTo, double LastFrom, double End) Windows(IReadOnlyList<SoakSample> samples, TimeSpan warmup, TimeSpan window)
    {
        var end = samples.Count == 0 ? 0 : samples[^1].ElapsedSeconds;
        return (warmup.TotalSeconds, warmup.TotalSeconds + window.TotalSeconds, end - window.TotalSeconds, end);
    }

    /// <summary>The nearest-rank percentile (0 for no values): the smallest value with at least that share of values at or below it.</summary>
    public static double Percentile(IEnumerable<double> values, double quantile)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}

namespace Lambda.Bench.Tests;

public class SoakVerdictTests
{
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    [Fact]
    public void a_run_that_only_grows_during_the_warmup_is_flat()
    {
        // Memory doubles in the first 120 s (the designed fill), then holds.
        var samples = Samples(700, t => t <= 120 ? 200 + (t * 5) : 800);
        Assert.Empty(SoakVerdict.Problems(samples, Queries(700, _ => 5), Warmup, Window, rate: 1000));
    }

    [Fact]
    public void growth_after_the_warmup_is_reported_for_rss_and_the_live_heap()
    {
        var samples = Samples(700, t => 500 + t);
        var problems = SoakVerdict.Problems(samples, Queries(700, _ => 5), Warmup, Window, rate: 1000);
        Assert.Contains(problems, p => p.StartsWith("RSS (MB) grew", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("live heap after gen2 (MB) grew", StringComparison.Ordinal));
    }

    [Fact]
    public void the_gc_heap_with_its_garbage_is_not_judged()
    {
        var samples = Samples(700, _ => 500).Select(s => s with { GcHeapBytes = (long)(s.ElapsedSeconds * 1048576 * 10) }).ToList();
        Assert.Empty(SoakVerdict.Problems(samples, Queries(700, _ => 5), Warmup, Window, rate: 1000));
    }

    [Fact]
    public void p99_is_taken_over_the_pooled_queries_of_a_window()
    {
        // In the last window, one query in 200 is slow (0.5 %): every 10 s sample holds one, so the
        // average of per-sample p99s would be 900 ms, while the window's p99 is a fast query.
        var samples = Samples(700, _ => 500);
        var queries = Queries(700, i => i >= 640 * 20 && i % 200 == 0 ? 900 : 5);
        Assert.Empty(SoakVerdict.Problems(samples, queries, Warmup, Window, rate: 1000));

        // Two in 100 slow (2 %): the pooled p99 is slow.
        var slower = Queries(700, i => i >= 640 * 20 && i % 50 == 0 ? 900 : 5);
        var problems = SoakVerdict.Problems(samples, slower, Warmup, Window, rate: 1000);
        Assert.Contains(problems, p => p.StartsWith("p99 query latency (ms) grew from 5.0 to 900.0", StringComparison.Ordinal));
    }

    [Fact]
    public void the_summary_shows_what_each_window_compared()
    {
        var samples = Samples(700, t => t <= 120 ? 200 : 800);
        var queries = Queries(700, i => i >= 640 * 20 && i % 50 == 0 ? 900 : 5);

        var summary = SoakVerdict.Summary(samples, queries, Warmup, Window);

        Assert.StartsWith("first window (120-180 s): RSS 800 MB, live heap", summary, StringComparison.Ordinal);
        Assert.Contains("p99 5 ms, max lag", summary, StringComparison.Ordinal);
        Assert.Contains("last window (640-700 s): RSS 800 MB", summary, StringComparison.Ordinal);
        Assert.Contains("p99 900 ms", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void lag_in_the_last_window_and_failed_queries_are_problems()
    {
        var samples = Samples(700, _ => 500);
        samples[^2] = samples[^2] with { Lag = 6_000 };
        var queries = Queries(700, _ => 5);
        queries[3] = queries[3] with { Ok = false };
        var problems = SoakVerdict.Problems(samples, queries, Warmup, Window, rate: 1000);
        Assert.Contains("lag reached 6000 records in the last window, more than 5 s of input", problems);
        Assert.Contains("1 queries failed", problems);
    }

    [Fact]
    public void a_run_too_short_for_warmup_and_two_windows_is_refused()
    {
        var problems = SoakVerdict.Problems(Samples(200, _ => 500), Queries(200, _ => 5), Warmup, Window, rate: 1000);
        Assert.Equal(["the run is too short for a warm-up, a first window and a last window"], problems);
    }

    [Fact]
    public void percentile_is_the_nearest_rank()
    {
        var values = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();
        Assert.Equal(99, SoakVerdict.Percentile(values, 0.99));
        Assert.Equal(50, SoakVerdict.Percentile(values, 0.5));
        Assert.Equal(7, SoakVerdict.Percentile([7], 0.99));
        Assert.Equal(0, SoakVerdict.Percentile([], 0.99));
    }

    /// <summary>A row every 10 s up to <paramref name="seconds"/>, RSS and live heap in MB from the elapsed seconds.</summary>
    private static List<SoakSample> Samples(int seconds, Func<int, double> megabytes) =>
        [.. Enumerable.Range(1, seconds / 10).Select(i => i * 10).Select(t => new SoakSample(t, (long)(megabytes(t) * 1048576), 0, 100, 1000, 200, 0, 5, 5)
        {
            LiveHeapBytes = (long)(megabytes(t) * 1048576 / 2),
        })];

    /// <summary>20 queries a second up to <paramref name="seconds"/>; query i takes <paramref name="ms"/>(i).</summary>
    private static List<SoakQuery> Queries(int seconds, Func<int, double> ms) =>
        [.. Enumerable.Range(0, seconds * 20).Select(i => new SoakQuery(i / 20.0, ms(i), true))];
}

namespace Lambda.Bench.Tests;

public class HostStatsTests
{
    [Fact]
    public void a_stats_line_gives_its_numbers_by_name()
    {
        var stats = HostStats.Parse("[t=20] 17:56:32 info: Lambda.Run[7100] Process stats: rss_bytes=552468480 gc_heap_bytes=261363232 gen2_collections=7 " +
            "rss_anon_mb=430.5 live_after_gen2_mb=201.5 gc_pause_max_ms=10.2 gc_pause_max_gen=-1 windows=1029 loh_alloc_mb=System.Byte[]:69,System.UInt64[]:53");
        Assert.Equal(552468480, stats["rss_bytes"]);
        Assert.Equal(201.5, stats["live_after_gen2_mb"]);
        Assert.Equal(-1, stats["gc_pause_max_gen"]);
        Assert.Equal(1029, stats["windows"]);
        // Not a number: absent, like a figure an older host does not log.
        Assert.Equal(0, stats["loh_alloc_mb"]);
        Assert.Equal(0, stats["cpu_cores"]);
    }

    [Fact]
    public void no_line_gives_zeros()
    {
        Assert.Equal(0, HostStats.Parse(null)["rss_bytes"]);
    }
}

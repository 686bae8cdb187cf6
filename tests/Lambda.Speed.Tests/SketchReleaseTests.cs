using Lambda.SharedModel.Sketches;
using Lambda.Speed.Processing;
using static Lambda.Speed.Tests.ProcessorHarness;

namespace Lambda.Speed.Tests;

public sealed class SketchReleaseTests
{
    /// <summary>No lateness and a one-minute join horizon: a window settles two minutes after its start.</summary>
    private static SpeedOptions Options() => new() { AllowedLateness = TimeSpan.Zero, JoinHorizon = TimeSpan.FromMinutes(1) };

    /// <summary>Serves <paramref name="users"/> distinct users into minute <paramref name="minute"/> of a campaign.</summary>
    private static void ServeUsers(ProcessorHarness h, string campaign, int minute, int users)
    {
        for (var u = 0; u < users; u++)
        {
            h.Served($"ad-{campaign}", campaign, Minute(minute) + (u % 50_000), user: $"{campaign}-u{u}");
        }
    }

    [Fact]
    public void a_settled_window_releases_its_sketch_after_its_flush_and_a_late_event_keeps_the_stored_sketch()
    {
        var h = new ProcessorHarness(Options());
        ServeUsers(h, "camp-A", 0, 300);
        h.AfterIdleTimeout();
        h.Served("ad-x", "camp-B", Minute(3)); // the watermark passes minute 0's end plus the join horizon
        h.Flush();
        var stored = h.Rows[("camp-A", Minute(0))];

        Assert.Equal(1, h.Processor.ReleaseSettledSketches());
        Assert.Equal(0, h.Processor.ReleaseSettledSketches());

        h.Served("ad-camp-A", "camp-A", Minute(0) + 5, user: "late-user"); // late: counts in `late` only
        h.View("ad-camp-A", Minute(0) + 6, user: "late-viewer");
        h.Flush();
        var after = h.Rows[("camp-A", Minute(0))];

        Assert.Equal(1, h.CountRowsCollected);
        Assert.Equal(stored.UniquesSketch, after.UniquesSketch);
        Assert.Equal(stored.Counts with { Late = 2 }, after.Counts);
        Assert.True(after.Final);
        Assert.Equal(300, HyperLogLog.FromBytes(after.UniquesSketch).Estimate(), 300 * 0.03);
    }

    [Fact]
    public void a_window_is_not_released_before_its_join_horizon_has_passed()
    {
        var h = new ProcessorHarness(Options());
        ServeUsers(h, "camp-A", 0, 10);
        h.View("ad-late", Minute(0) + 30_000, user: "waiting"); // waits for its ad's served record
        h.Served("ad-x", "camp-B", Minute(1) + 50_000); // final, but the view may still join
        h.Flush();

        Assert.Equal(0, h.Processor.ReleaseSettledSketches());
        h.Served("ad-late", "camp-A", Minute(1) + 50_001);
        h.Flush();

        Assert.Equal(1, h.Rows[("camp-A", Minute(0))].Counts.Views);
        Assert.Equal(11, HyperLogLog.FromBytes(h.Rows[("camp-A", Minute(0))].UniquesSketch).Estimate());
    }

    [Fact]
    public void a_window_changed_since_its_last_flush_keeps_its_sketch_until_it_is_flushed()
    {
        var h = new ProcessorHarness(Options());
        ServeUsers(h, "camp-A", 0, 10);
        h.AfterIdleTimeout();
        h.Served("ad-x", "camp-B", Minute(3));
        h.Served("ad-camp-A", "camp-A", Minute(0) + 7, user: "late-user"); // dirty again, not flushed

        Assert.Equal(0, h.Processor.ReleaseSettledSketches());
        h.Flush();
        Assert.Equal(1, h.Processor.ReleaseSettledSketches());
        Assert.Equal(0, h.CountRowsCollected);
    }

    [Fact]
    public void released_windows_cost_their_counters_only_in_the_state_size()
    {
        const int campaigns = 200;
        var h = new ProcessorHarness(Options());
        for (var u = 0; u < 3_000; u++)
        {
            // Time moves on with the users (without lateness, an older event would be late).
            for (var c = 0; c < (u < 100 ? campaigns : 0); c++)
            {
                h.Served($"ad-{c}", $"camp-{c}", Minute(0) + u, user: $"u{u}");
            }

            h.Served("ad-dense", "camp-dense", Minute(0) + u, user: $"u{u}");
        }

        h.AfterIdleTimeout();
        h.Served("ad-x", "camp-B", Minute(3));
        h.Flush();
        var before = h.Processor.StateSize;

        h.Processor.ReleaseSettledSketches();
        var after = h.Processor.StateSize;

        Assert.Equal((campaigns + 2L, campaigns + 2L), (before.Windows, before.WindowSketches));
        Assert.True(before.SketchBytes > 16_384 + (campaigns * 400L), $"sketch bytes before release: {before.SketchBytes}");
        Assert.Equal((campaigns + 2L, 1L), (after.Windows, after.WindowSketches)); // the open window of minute 3 keeps its sketch
        Assert.True(after.SketchBytes < 1_000, $"sketch bytes after release: {after.SketchBytes}");
        Assert.Equal((after.Windows * SpeedStateSize.WindowBytesWithoutSketch) + after.SketchBytes, after.WindowBytes);
    }

    [Fact]
    public void a_window_first_seen_after_it_settled_never_holds_a_sketch()
    {
        var h = new ProcessorHarness(Options());
        h.Served("ad-x", "camp-B", Minute(5));
        h.Processor.AdvanceLogTime(h.Processor.LogTimeMs + (long)h.Options.IdleTimeout.TotalMilliseconds + 1); // views and clicks never come
        h.Served("ad-y", "camp-C", Minute(0) + 1, user: "late-user"); // late, into a window not in memory

        h.Flush();

        Assert.Equal((2L, 1L), (h.Processor.StateSize.Windows, h.Processor.StateSize.WindowSketches));
        Assert.Equal(1, h.CountRowsCollected);
        var row = h.Rows[("camp-C", Minute(0))];
        Assert.Equal((0L, 1L), (row.Counts.Impressions, row.Counts.Late));
        Assert.Equal(0, HyperLogLog.FromBytes(row.UniquesSketch).Estimate());
    }
}

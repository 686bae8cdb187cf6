using Lambda.Batch.Recompute;
using Lambda.Batch.Tests.Recompute.Fixtures;

namespace Lambda.Batch.Tests.Recompute;

public sealed class IncrementalTests
{
    private static readonly DateOnly Jan1 = new(2025, 1, 1);
    private static readonly DateOnly Jan2 = new(2025, 1, 2);
    private static readonly DateOnly Jan3 = new(2025, 1, 3);

    [Fact]
    public async Task incremental_runs_equal_full_runs_after_new_days_late_data_and_late_attribution()
    {
        var scenario = TrafficScenario.Create();
        await using var bed = await BatchTestBed.CreateAsync();
        MasterFixture.Write(bed.MasterRoot, scenario.Records);
        var first = await bed.RecomputeAsync();
        Assert.Equal([Jan1, Jan2], first.RecomputedDates);

        // Run 2: a new day, and a served record (on Jan 3) for the ad whose Jan 1 views were unattributed.
        var run2 = scenario.Log.AppendGenerated(TrafficScenario.Imperfect(13, new DateTimeOffset(2025, 1, 3, 20, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(5.5)), out _);
        var announce = TrafficScenario.Day1.AddDays(2).AddHours(21).ToUnixTimeMilliseconds();
        run2.Add(scenario.Log.Append(TrafficScenario.Served("late-announce", "ad-never-served", "campaign-manual", "u-x", "192.0.2.99", "Mozilla/5.0", announce), run2[^1].LogTimeMs));
        MasterFixture.Write(bed.MasterRoot, run2);

        var incremental = await bed.RecomputeAsync();
        Assert.Equal(RecomputeOutcome.Published, incremental.Outcome);
        Assert.Equal(first.VersionId, incremental.BaseVersionId);
        Assert.Equal([Jan1, Jan3], incremental.RecomputedDates);
        Assert.Equal([Jan2], incremental.CopiedDates);
        var full = await bed.RecomputeAsync(full: true);
        Assert.Equal([Jan1, Jan2, Jan3], full.RecomputedDates);
        RowAssert.Equal(bed.FileRows(full.VersionId!.Value), bed.FileRows(incremental.VersionId!.Value));
        Assert.Contains(bed.FileRows(full.VersionId.Value).Keys, k => k.Campaign == "campaign-manual" && k.Bucket < TrafficScenario.Day1.AddDays(1).ToUnixTimeMilliseconds());

        // Run 3: one late view for Jan 2 only.
        var late = TrafficScenario.Day1.AddDays(1).AddHours(5).ToUnixTimeMilliseconds();
        MasterFixture.Write(bed.MasterRoot, [scenario.Log.Append(TrafficScenario.View("late-view", "ad-manual", "u-late", "192.0.2.98", "Mozilla/5.0", late), run2[^1].LogTimeMs + 1000)]);
        var incremental3 = await bed.RecomputeAsync();
        Assert.Equal([Jan2], incremental3.RecomputedDates);
        Assert.Equal([Jan1, Jan3], incremental3.CopiedDates);
        var full3 = await bed.RecomputeAsync(full: true);
        var fullRows = bed.FileRows(full3.VersionId!.Value);
        RowAssert.Equal(fullRows, bed.FileRows(incremental3.VersionId!.Value));
        RowAssert.Equal(fullRows, await bed.StoreRowsAsync(incremental3.VersionId.Value, fullRows.Keys.Select(k => k.Campaign)));
    }

    [Fact]
    public async Task a_run_with_nothing_new_copies_every_day_and_asked_for_dates_are_recomputed()
    {
        await using var bed = await BatchTestBed.CreateAsync();
        var log = new SimulatedLog();
        MasterFixture.Write(bed.MasterRoot, SmallTraffic.Day(log, Jan1));
        var first = await bed.RecomputeAsync();

        var again = await bed.RecomputeAsync();
        Assert.Empty(again.RecomputedDates);
        Assert.Equal([Jan1], again.CopiedDates);
        RowAssert.Equal(bed.FileRows(first.VersionId!.Value), bed.FileRows(again.VersionId!.Value));

        var asked = await bed.RecomputeAsync(dates: [Jan1]);
        Assert.Equal([Jan1], asked.RecomputedDates);
        RowAssert.Equal(bed.FileRows(first.VersionId.Value), bed.FileRows(asked.VersionId!.Value));
    }
}

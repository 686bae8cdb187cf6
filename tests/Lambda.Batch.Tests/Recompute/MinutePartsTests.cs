using Lambda.Batch.Recompute;
using Lambda.Batch.Tests.Recompute.Fixtures;

namespace Lambda.Batch.Tests.Recompute;

/// <summary>The minute file is written in one part per DuckDB thread; versions with one minute file stay readable.</summary>
public sealed class MinutePartsTests
{
    [Fact]
    public async Task two_threads_write_two_minute_parts_holding_the_same_rows_as_one_file_from_one_thread()
    {
        var scenario = TrafficScenario.Create();
        await using var parted = await BatchTestBed.CreateAsync();
        await using var single = await BatchTestBed.CreateAsync();
        MasterFixture.Write(parted.MasterRoot, scenario.Records);
        MasterFixture.Write(single.MasterRoot, scenario.Records);

        var two = await Recompute(parted, threads: 2, full: false);
        var one = await Recompute(single, threads: 1, full: false);

        var partedDirectory = parted.Paths.VersionDirectory(two.VersionId!.Value);
        Assert.Equal(["minute-0.parquet", "minute-1.parquet"], BatchViewFiles.PathsOf(partedDirectory, "minute").Select(Path.GetFileName));
        Assert.False(File.Exists(BatchViewFiles.PathOf(partedDirectory, "minute")));
        Assert.Equal(["minute.parquet"], BatchViewFiles.PathsOf(single.Paths.VersionDirectory(one.VersionId!.Value), "minute").Select(Path.GetFileName));
        RowAssert.Equal(single.FileRows(one.VersionId.Value), parted.FileRows(two.VersionId.Value));
    }

    [Fact]
    public async Task a_version_with_one_minute_file_is_the_base_of_an_incremental_run_with_parts()
    {
        var scenario = TrafficScenario.Create();
        await using var bed = await BatchTestBed.CreateAsync();
        MasterFixture.Write(bed.MasterRoot, scenario.Records);
        var old = await Recompute(bed, threads: 1, full: false);
        var late = TrafficScenario.Day1.AddDays(1).AddHours(5).ToUnixTimeMilliseconds();
        MasterFixture.Write(bed.MasterRoot, [scenario.Log.Append(TrafficScenario.View("late-view", "ad-manual", "u-late", "192.0.2.98", "Mozilla/5.0", late), scenario.Records[^1].LogTimeMs + 1000)]);

        var incremental = await Recompute(bed, threads: 2, full: false);
        var full = await Recompute(bed, threads: 2, full: true);

        Assert.Equal(old.VersionId, incremental.BaseVersionId);
        Assert.NotEmpty(incremental.CopiedDates);
        RowAssert.Equal(bed.FileRows(full.VersionId!.Value), bed.FileRows(incremental.VersionId!.Value));
    }

    [Fact]
    public void campaigns_split_into_ordered_non_empty_ranges_of_about_equal_bytes()
    {
        // Campaign 0 holds as many rows as the nine others together.
        var spool = Spool([9, 1, 1, 1, 1, 1, 1, 1, 1, 1]);

        Assert.Equal([0, 1, 10], spool.SplitCampaigns(0, 10, 2));
        Assert.Equal([0, 10], spool.SplitCampaigns(0, 10, 1));
        Assert.Equal([0, 1, 2], Spool([1, 1]).SplitCampaigns(0, 2, 8));
        Assert.Equal([0, 1], Spool([5]).SplitCampaigns(0, 1, 4));
        Assert.Equal([0, 1, 2, 3], Spool([0, 0, 0]).SplitCampaigns(0, 3, 3));
        Assert.Equal([0, 0], Spool([]).SplitCampaigns(0, 0, 2));
    }

    private static DayRowSpool Spool(int[] rowsPerCampaign)
    {
        var spool = new DayRowSpool();
        spool.BeginDay();
        var counters = new long[DayRowBuilder.Counters];
        counters[0] = 1;
        for (var cid = 0; cid < rowsPerCampaign.Length; cid++)
        {
            for (var row = 0; row < rowsPerCampaign[cid]; row++)
            {
                spool.Add(0, cid, row * 60_000L, counters, []);
            }
        }

        return spool;
    }

    private static Task<RecomputeResult> Recompute(BatchTestBed bed, int threads, bool full) =>
        new BatchRecomputer(bed.Store, new RecomputeOptions
        {
            DataDirectory = bed.DataDirectory,
            Threads = threads,
            StoreChunkRows = 2_000,
        }).RunAsync(new RecomputeRequest(full, null));
}

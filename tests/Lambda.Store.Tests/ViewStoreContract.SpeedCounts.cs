using Lambda.SharedModel.Sketches;
using Lambda.SharedModel.Views;

namespace Lambda.Store.Tests;

public abstract partial class ViewStoreContract
{
    private static SpeedCountsRow CountsOf(SpeedViewRow row, long impressions, bool final = true) =>
        new(row.CampaignId, row.BucketStartMs, row.Partition, ViewRows.Counts(impressions) with { Late = impressions * 7 }, final);

    [SkippableFact]
    public async Task a_counters_only_write_replaces_the_counters_and_keeps_the_stored_sketch()
    {
        var stored = ViewRows.Speed("c1", 0, 0, 10) with { UniquesSketch = ViewRows.Sketch(5, 12_291) };
        var other = ViewRows.Speed("c1", 0, 1, 20);
        await Store.UpsertSpeedRowsAsync([stored, other]);
        var counts = CountsOf(stored, 11);
        var generation = await Store.GetViewGenerationAsync();

        await Store.UpsertSpeedCountsAsync([counts]);
        var once = await Store.ReadSpeedRowsAsync("c1", T0, T0 + M);
        await Store.UpsertSpeedCountsAsync([counts]);
        var twice = await Store.ReadSpeedRowsAsync("c1", T0, T0 + M);

        var expected = stored with { Counts = counts.Counts, Final = true };
        AssertSpeedRows([expected, other], once);
        AssertSpeedRows([expected, other], twice);
        Assert.True(await Store.GetViewGenerationAsync() > generation);
    }

    [SkippableFact]
    public async Task a_counters_only_write_of_a_row_not_stored_gets_the_empty_sketch()
    {
        var counts = new SpeedCountsRow("c1", T0 + M, 3, ViewRows.Counts(0) with { Late = 2 }, true);

        await Store.UpsertSpeedCountsAsync([counts]);

        var row = Assert.Single(await Store.ReadSpeedRowsAsync("c1", T0, T0 + (2 * M)));
        Assert.Equal(new SpeedViewRow("c1", T0 + M, 3, counts.Counts, [], true) with { UniquesSketch = row.UniquesSketch }, row);
        Assert.Equal(0, HyperLogLog.FromBytes(row.UniquesSketch).Estimate());
    }

    [SkippableFact]
    public async Task duplicate_keys_in_one_counters_only_write_keep_the_last()
    {
        var stored = ViewRows.Speed("c1", 0, 0, 10);
        await Store.UpsertSpeedRowsAsync([stored]);

        await Store.UpsertSpeedCountsAsync([CountsOf(stored, 1), CountsOf(stored, 3, final: false), CountsOf(stored, 2)]);

        var row = Assert.Single(await Store.ReadSpeedRowsAsync("c1", T0, T0 + M));
        Assert.Equal((2L, true), (row.Counts.Impressions, row.Final));
        Assert.Equal(stored.UniquesSketch, row.UniquesSketch);
    }

    [SkippableFact]
    public async Task a_counters_only_write_under_a_stale_epoch_is_refused_and_changes_nothing()
    {
        var stale = await Store.ClaimSpeedPartitionAsync(0, "a");
        var kept = await Store.ClaimSpeedPartitionAsync(1, "a");
        var stored = ViewRows.Speed("c1", 0, 0, 10);
        await Store.UpsertSpeedRowsAsync([stored], Epochs((0, stale)));
        await Store.UpsertSpeedCountsAsync([CountsOf(stored, 12)], Epochs((0, stale)));
        var other = await OpenAnotherStoreAsync();
        var current = await other.ClaimSpeedPartitionAsync(0, "b");
        var generation = await Store.GetViewGenerationAsync();

        var refused = await Assert.ThrowsAsync<PartitionFencedException>(() => Store.UpsertSpeedCountsAsync(
            [CountsOf(stored, 99), new SpeedCountsRow("c1", T0, 1, ViewRows.Counts(99), true)], Epochs((0, stale), (1, kept))));
        await Assert.ThrowsAsync<ArgumentException>(() => other.UpsertSpeedCountsAsync(
            [CountsOf(stored, 98), new SpeedCountsRow("c1", T0, 1, ViewRows.Counts(98), true)], Epochs((0, current))));

        Assert.Equal((0, stale, current), (refused.Partition, refused.Epoch, refused.CurrentEpoch));
        var row = Assert.Single(await Store.ReadSpeedRowsAsync("c1", T0, T0 + M));
        Assert.Equal((0, 12L), (row.Partition, row.Counts.Impressions));
        Assert.Equal(stored.UniquesSketch, row.UniquesSketch);
        Assert.Equal(generation, await Store.GetViewGenerationAsync());

        await other.UpsertSpeedCountsAsync([CountsOf(stored, 13)], Epochs((0, current)));
        Assert.Equal(13, Assert.Single(await Store.ReadSpeedRowsAsync("c1", T0, T0 + M)).Counts.Impressions);
    }
}

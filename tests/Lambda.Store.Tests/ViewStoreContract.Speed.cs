using Lambda.SharedModel.Views;

namespace Lambda.Store.Tests;

public abstract partial class ViewStoreContract
{
    private const long M = ViewRows.Minute;
    private const long T0 = ViewRows.T0;

    [SkippableFact]
    public async Task speed_upsert_twice_gives_the_same_rows()
    {
        SpeedViewRow[] rows = [ViewRows.Speed("c1", 0, 0, 10), ViewRows.Speed("c1", 1, 0, 20), ViewRows.Speed("c1", 1, 1, 5)];
        await Store.UpsertSpeedRowsAsync(rows);
        var once = await Store.ReadSpeedRowsAsync("c1", T0, T0 + (10 * M));
        await Store.UpsertSpeedRowsAsync(rows);
        var twice = await Store.ReadSpeedRowsAsync("c1", T0, T0 + (10 * M));

        AssertSpeedRows(rows, once);
        AssertSpeedRows(rows, twice);
    }

    [SkippableFact]
    public async Task speed_upsert_replaces_the_full_value_rather_than_adding()
    {
        await Store.UpsertSpeedRowsAsync([ViewRows.Speed("c1", 0, 0, 10), ViewRows.Speed("c1", 1, 0, 7)]);
        var replacement = ViewRows.Speed("c1", 0, 0, 3, final: true) with { UniquesSketch = ViewRows.Sketch(99) };
        await Store.UpsertSpeedRowsAsync([replacement]);

        var rows = await Store.ReadSpeedRowsAsync("c1", T0, T0 + (10 * M));
        AssertSpeedRows([replacement, ViewRows.Speed("c1", 1, 0, 7)], rows);
    }

    [SkippableFact]
    public async Task duplicate_keys_in_one_upsert_keep_the_last_row()
    {
        await Store.UpsertSpeedRowsAsync([ViewRows.Speed("c1", 0, 0, 1), ViewRows.Speed("c1", 0, 0, 2), ViewRows.Speed("c1", 0, 0, 3)]);

        var row = Assert.Single(await Store.ReadSpeedRowsAsync("c1", T0, T0 + M));
        Assert.Equal(3, row.Counts.Impressions);
    }

    [SkippableFact]
    public async Task speed_reads_are_half_open_sorted_by_bucket_then_partition_and_per_campaign()
    {
        await Store.UpsertSpeedRowsAsync(
        [
            ViewRows.Speed("c1", 3, 1, 31), ViewRows.Speed("c1", 1, 2, 12), ViewRows.Speed("c1", 1, 0, 10),
            ViewRows.Speed("c1", 0, 0, 0), ViewRows.Speed("c1", 2, 0, 20), ViewRows.Speed("c2", 1, 0, 99),
            ViewRows.Speed("c1", 3, 0, 30),
        ]);

        var rows = await Store.ReadSpeedRowsAsync("c1", T0 + M, T0 + (3 * M));

        Assert.Equal([(1, 0), (1, 2), (2, 0)], rows.Select(r => ((int)((r.BucketStartMs - T0) / M), r.Partition)));
        Assert.All(rows, r => Assert.Equal("c1", r.CampaignId));
        Assert.Empty(await Store.ReadSpeedRowsAsync("c1", T0 + M, T0 + M));
    }

    [SkippableFact]
    public async Task partitions_of_one_bucket_are_separate_rows()
    {
        await Store.UpsertSpeedRowsAsync([ViewRows.Speed("c1", 0, 0, 10), ViewRows.Speed("c1", 0, 1, 20), ViewRows.Speed("c1", 0, 7, 30)]);
        await Store.UpsertSpeedRowsAsync([ViewRows.Speed("c1", 0, 1, 21)]);

        var rows = await Store.ReadSpeedRowsAsync("c1", T0, T0 + M);
        Assert.Equal([(0, 10L), (1, 21L), (7, 30L)], rows.Select(r => (r.Partition, r.Counts.Impressions)));
    }

    [SkippableFact]
    public async Task deleting_before_a_bucket_removes_only_older_rows_and_counts_them()
    {
        await Store.UpsertSpeedRowsAsync(
        [
            ViewRows.Speed("c1", 0, 0, 1), ViewRows.Speed("c1", 0, 1, 1), ViewRows.Speed("c2", 1, 0, 1),
            ViewRows.Speed("c1", 2, 0, 1), ViewRows.Speed("c2", 3, 0, 1),
        ]);

        Assert.Equal(3, await Store.DeleteSpeedRowsBeforeAsync(T0 + (2 * M)));
        Assert.Equal(0, await Store.DeleteSpeedRowsBeforeAsync(T0 + (2 * M)));

        Assert.Equal([T0 + (2 * M)], (await Store.ReadSpeedRowsAsync("c1", 0, long.MaxValue)).Select(r => r.BucketStartMs));
        Assert.Equal([T0 + (3 * M)], (await Store.ReadSpeedRowsAsync("c2", 0, long.MaxValue)).Select(r => r.BucketStartMs));
    }

    [SkippableFact]
    public async Task the_oldest_speed_bucket_follows_upserts_and_deletes_over_every_campaign()
    {
        Assert.Null(await Store.GetOldestSpeedBucketAsync());
        await Store.UpsertSpeedRowsAsync([ViewRows.Speed("c2", 5, 3, 1), ViewRows.Speed("c1", 2, 0, 1), ViewRows.Speed("c1", 9, 1, 1)]);

        Assert.Equal(T0 + (2 * M), await Store.GetOldestSpeedBucketAsync());
        await Store.DeleteSpeedRowsBeforeAsync(T0 + (3 * M));
        Assert.Equal(T0 + (5 * M), await Store.GetOldestSpeedBucketAsync());
        await Store.DeleteSpeedRowsBeforeAsync(T0 + (60 * M));
        Assert.Null(await Store.GetOldestSpeedBucketAsync());
    }

    [SkippableFact]
    public async Task sketches_and_large_counters_round_trip_exactly()
    {
        var huge = new MetricCounts(long.MaxValue, long.MaxValue - 1, (1L << 53) + 1, 9_007_199_254_740_993, 0, long.MaxValue, 1, 2);
        var speed = new SpeedViewRow("c1", T0, 0, huge, ViewRows.Sketch(1, 16_384), true);
        var empty = new SpeedViewRow("c1", T0 + M, 0, default, [], false);
        var zeros = new SpeedViewRow("c1", T0 + (2 * M), 0, default, new byte[300], false);
        await Store.UpsertSpeedRowsAsync([speed, empty, zeros]);

        await Store.CreateBatchVersionAsync(ViewRows.Version(1));
        var batch = new BatchViewRow("c1", "day", T0, huge, long.MaxValue, ViewRows.Sketch(2, 16_384));
        await Store.AppendBatchRowsAsync(1, [batch]);

        AssertSpeedRows([speed, empty, zeros], await Store.ReadSpeedRowsAsync("c1", T0, T0 + (3 * M)));
        AssertBatchRows([batch], await Store.ReadBatchRowsAsync(1, "c1", "day", T0, T0 + 1));
    }

    [SkippableFact]
    public async Task partition_status_is_replaced_by_partition_and_listed_in_order()
    {
        var at = new DateTimeOffset(2026, 11, 22, 12, 30, 15, 250, TimeSpan.Zero);
        SpeedPartitionStatus Status(int partition, string owner, long processed) =>
            new(partition, owner, T0 + processed, processed / 10, 1234.5, processed, 1, 2, 3, 4, 5, at.AddSeconds(processed), processed + 6, processed + 7);

        await Store.UpsertPartitionStatusAsync([Status(2, "w1", 100), Status(0, "w1", 50)]);
        await Store.UpsertPartitionStatusAsync([Status(1, "w2", 70), Status(2, "w2", 200)]);

        Assert.Equal([Status(0, "w1", 50), Status(1, "w2", 70), Status(2, "w2", 200)], await Store.ListPartitionStatusAsync());
    }

    [SkippableFact]
    public async Task partition_status_keeps_the_instant_of_a_non_utc_offset()
    {
        var local = new DateTimeOffset(2026, 11, 22, 14, 0, 0, 5, TimeSpan.FromHours(2));
        await Store.UpsertPartitionStatusAsync([new(0, "w", 0, 0, 0, 0, 0, 0, 0, 0, 0, local)]);

        Assert.Equal(local, Assert.Single(await Store.ListPartitionStatusAsync()).UpdatedAt);
    }

    private static void AssertSpeedRows(IReadOnlyList<SpeedViewRow> expected, IReadOnlyList<SpeedViewRow> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            // Records compare byte[] by reference: compare the sketch bytes on their own.
            Assert.Equal(
                (expected[i].CampaignId, expected[i].BucketStartMs, expected[i].Partition, expected[i].Counts, expected[i].Final),
                (actual[i].CampaignId, actual[i].BucketStartMs, actual[i].Partition, actual[i].Counts, actual[i].Final));
            Assert.Equal(expected[i].UniquesSketch, actual[i].UniquesSketch);
        }
    }

    private static void AssertBatchRows(IReadOnlyList<BatchViewRow> expected, IReadOnlyList<BatchViewRow> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(
                (expected[i].CampaignId, expected[i].Granularity, expected[i].BucketStartMs, expected[i].Counts, expected[i].Uniques),
                (actual[i].CampaignId, actual[i].Granularity, actual[i].BucketStartMs, actual[i].Counts, actual[i].Uniques));
            Assert.Equal(expected[i].UniquesSketch, actual[i].UniquesSketch);
        }
    }
}

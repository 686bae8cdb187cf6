using Lambda.SharedModel.Views;

namespace Lambda.Store.Tests;

public abstract partial class ViewStoreContract
{
    private static SpeedPartitionStatus OwnerStatus(int partition, string owner, long processed) =>
        new(partition, owner, ViewRows.T0, 0, 0, processed, 0, 0, 0, 0, 0, DateTimeOffset.UnixEpoch);

    private static Dictionary<int, long> Epochs(params (int Partition, long Epoch)[] epochs) =>
        epochs.ToDictionary(e => e.Partition, e => e.Epoch);

    [SkippableFact]
    public async Task claims_of_a_partition_are_strictly_increasing_across_store_instances()
    {
        var store = Store;
        var other = await OpenAnotherStoreAsync();
        var epochs = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            epochs.Add(await store.ClaimSpeedPartitionAsync(0, "a"));
            epochs.Add(await other.ClaimSpeedPartitionAsync(0, "b"));
        }

        Assert.Equal(epochs.Order(), epochs);
        Assert.Equal(epochs.Count, epochs.Distinct().Count());
        Assert.True(epochs[0] >= 1);
        // Another partition has epochs of its own.
        Assert.Equal(epochs[0], await other.ClaimSpeedPartitionAsync(1, "b"));
    }

    [SkippableFact]
    public async Task concurrent_claims_from_several_stores_never_get_the_same_epoch()
    {
        var stores = new List<IViewStore> { Store };
        for (var i = 0; i < 3; i++)
        {
            stores.Add(await OpenAnotherStoreAsync());
        }

        var epochs = await Task.WhenAll(stores.SelectMany(s => Enumerable.Range(0, 5).Select(_ => s.ClaimSpeedPartitionAsync(3, "x"))));

        Assert.Equal(Enumerable.Range(1, 20).Select(e => e + epochs.Min() - 1L), epochs.Order());
    }

    [SkippableFact]
    public async Task a_write_under_the_current_epoch_succeeds()
    {
        var epoch = await Store.ClaimSpeedPartitionAsync(0, "a");

        await Store.UpsertSpeedRowsAsync([ViewRows.Speed("c1", 0, 0, 10)], Epochs((0, epoch)));
        await Store.UpsertPartitionStatusAsync([OwnerStatus(0, "a", 10)], Epochs((0, epoch)));

        Assert.Equal(10, Assert.Single(await Store.ReadSpeedRowsAsync("c1", ViewRows.T0, ViewRows.T0 + ViewRows.Minute)).Counts.Impressions);
        Assert.Equal(10, Assert.Single(await Store.ListPartitionStatusAsync()).Processed);
    }

    [SkippableFact]
    public async Task a_write_under_a_stale_epoch_is_refused_and_changes_nothing()
    {
        var stale = await Store.ClaimSpeedPartitionAsync(0, "a");
        var other = await OpenAnotherStoreAsync();
        var otherPartition = await Store.ClaimSpeedPartitionAsync(1, "a");
        await Store.UpsertSpeedRowsAsync([ViewRows.Speed("c1", 0, 0, 10)], Epochs((0, stale)));
        await Store.UpsertPartitionStatusAsync([OwnerStatus(0, "a", 10)], Epochs((0, stale)));
        var current = await other.ClaimSpeedPartitionAsync(0, "b");
        var generation = await Store.GetViewGenerationAsync();

        // A write of the stale partition together with a partition still owned: all or nothing.
        var rows = await Assert.ThrowsAsync<PartitionFencedException>(() => Store.UpsertSpeedRowsAsync(
            [ViewRows.Speed("c1", 0, 0, 99), ViewRows.Speed("c1", 0, 1, 99)], Epochs((0, stale), (1, otherPartition))));
        var status = await Assert.ThrowsAsync<PartitionFencedException>(() => Store.UpsertPartitionStatusAsync(
            [OwnerStatus(0, "a", 99)], Epochs((0, stale))));

        Assert.Equal((0, stale, current), (rows.Partition, rows.Epoch, rows.CurrentEpoch));
        Assert.Equal((0, stale, current), (status.Partition, status.Epoch, status.CurrentEpoch));
        var kept = Assert.Single(await Store.ReadSpeedRowsAsync("c1", ViewRows.T0, ViewRows.T0 + ViewRows.Minute));
        Assert.Equal((0, 10L), (kept.Partition, kept.Counts.Impressions));
        Assert.Equal(10, Assert.Single(await Store.ListPartitionStatusAsync()).Processed);
        Assert.Equal(generation, await Store.GetViewGenerationAsync());

        // The new owner writes.
        await other.UpsertSpeedRowsAsync([ViewRows.Speed("c1", 0, 0, 11)], Epochs((0, current)));
        Assert.Equal(11, Assert.Single(await Store.ReadSpeedRowsAsync("c1", ViewRows.T0, ViewRows.T0 + ViewRows.Minute)).Counts.Impressions);
    }

    [SkippableFact]
    public async Task a_fenced_write_of_a_partition_never_claimed_is_refused()
    {
        var refused = await Assert.ThrowsAsync<PartitionFencedException>(() =>
            Store.UpsertSpeedRowsAsync([ViewRows.Speed("c1", 0, 5, 1)], Epochs((5, 1))));

        Assert.Equal(0, refused.CurrentEpoch);
        Assert.Empty(await Store.ReadSpeedRowsAsync("c1", ViewRows.T0, ViewRows.T0 + ViewRows.Minute));
    }

    [SkippableFact]
    public async Task a_fenced_write_must_name_the_epoch_of_every_partition_it_writes()
    {
        var epoch = await Store.ClaimSpeedPartitionAsync(0, "a");

        await Assert.ThrowsAsync<ArgumentException>(() =>
            Store.UpsertSpeedRowsAsync([ViewRows.Speed("c1", 0, 0, 1), ViewRows.Speed("c1", 0, 1, 1)], Epochs((0, epoch))));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            Store.UpsertPartitionStatusAsync([OwnerStatus(1, "a", 1)], Epochs((0, epoch))));
    }
}

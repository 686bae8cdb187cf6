using Lambda.SharedModel.Views;

namespace Lambda.Store.Tests;

public abstract partial class ViewStoreContract
{
    [SkippableFact]
    public async Task a_batch_version_goes_from_loading_to_ready_to_current_and_is_read()
    {
        await Store.CreateBatchVersionAsync(ViewRows.Version(1, watermarkMs: T0 + (60 * M)) with { State = BatchVersionStates.Ready });
        Assert.Equal(BatchVersionStates.Loading, Assert.Single(await Store.ListBatchVersionsAsync()).State);

        await Store.AppendBatchRowsAsync(1, [ViewRows.Batch("c1", 1, 10), ViewRows.Batch("c1", 0, 5)]);
        await Store.AppendBatchRowsAsync(1, [ViewRows.Batch("c1", 0, 50, granularity: "hour"), ViewRows.Batch("c2", 0, 7)]);
        await Store.MarkBatchVersionReadyAsync(1, 4);
        await Store.MarkBatchVersionReadyAsync(1, 4);
        Assert.Null(await Store.GetCurrentBatchVersionAsync());
        await Store.SetCurrentBatchVersionAsync(1);

        var expected = ViewRows.Version(1, watermarkMs: T0 + (60 * M)) with { RowCount = 4, State = BatchVersionStates.Ready };
        Assert.Equal(expected, await Store.GetCurrentBatchVersionAsync());
        var snapshot = await Store.ReadSnapshotAsync("c1", "minute", T0, T0 + (60 * M));
        Assert.Equal(expected, snapshot.CurrentVersion);
        AssertBatchRows([ViewRows.Batch("c1", 0, 5), ViewRows.Batch("c1", 1, 10)], snapshot.BatchRows);
        AssertBatchRows([ViewRows.Batch("c1", 1, 10)], await Store.ReadBatchRowsAsync(1, "c1", "minute", T0 + M, T0 + (2 * M)));
        AssertBatchRows([ViewRows.Batch("c1", 0, 50, granularity: "hour")], await Store.ReadBatchRowsAsync(1, "c1", "hour", T0, T0 + M));
    }

    [SkippableFact]
    public async Task rows_of_a_loading_version_are_not_visible_in_snapshots()
    {
        await LoadVersionAsync(1, clicks: 1, rows: 3);
        await Store.SetCurrentBatchVersionAsync(1);
        await Store.CreateBatchVersionAsync(ViewRows.Version(2));
        await Store.AppendBatchRowsAsync(2, [ViewRows.Batch("c1", 0, 10, clicks: 2), ViewRows.Batch("c1", 5, 10, clicks: 2)]);

        var snapshot = await Store.ReadSnapshotAsync("c1", "minute", T0, T0 + (60 * M));

        Assert.Equal(1, snapshot.CurrentVersion?.VersionId);
        Assert.Equal(3, snapshot.BatchRows.Count);
        Assert.All(snapshot.BatchRows, r => Assert.Equal(1, r.Counts.Clicks));
    }

    [SkippableFact]
    public async Task only_a_ready_version_can_be_made_current()
    {
        await Store.CreateBatchVersionAsync(ViewRows.Version(1));

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.SetCurrentBatchVersionAsync(1));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.SetCurrentBatchVersionAsync(42));
        Assert.Null(await Store.GetCurrentBatchVersionAsync());
    }

    [SkippableFact]
    public async Task rows_can_be_appended_only_to_a_loading_version()
    {
        await LoadVersionAsync(1, clicks: 1, rows: 1);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.AppendBatchRowsAsync(1, [ViewRows.Batch("c1", 9, 1)]));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.AppendBatchRowsAsync(42, [ViewRows.Batch("c1", 9, 1)]));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.MarkBatchVersionReadyAsync(42, 0));
        Assert.Single(await Store.ReadBatchRowsAsync(1, "c1", "minute", 0, long.MaxValue));
    }

    [SkippableFact]
    public async Task creating_an_existing_version_fails_and_keeps_the_first()
    {
        await LoadVersionAsync(1, clicks: 1, rows: 2);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.CreateBatchVersionAsync(ViewRows.Version(1, watermarkMs: 5)));
        var version = Assert.Single(await Store.ListBatchVersionsAsync());
        Assert.Equal((T0, BatchVersionStates.Ready, 2L), (version.WatermarkMs, version.State, version.RowCount));
    }

    [SkippableFact]
    public async Task versions_are_listed_newest_first()
    {
        await Store.CreateBatchVersionAsync(ViewRows.Version(2));
        await Store.CreateBatchVersionAsync(ViewRows.Version(10));
        await Store.CreateBatchVersionAsync(ViewRows.Version(1));

        Assert.Equal([10L, 2L, 1L], (await Store.ListBatchVersionsAsync()).Select(v => v.VersionId));
    }

    [SkippableFact]
    public async Task deleting_a_version_that_is_not_current_removes_it_with_its_rows()
    {
        await LoadVersionAsync(1, clicks: 1, rows: 3);
        await LoadVersionAsync(2, clicks: 2, rows: 3);
        await Store.SetCurrentBatchVersionAsync(2);

        await Store.DeleteBatchVersionAsync(1);

        Assert.Equal([2L], (await Store.ListBatchVersionsAsync()).Select(v => v.VersionId));
        Assert.Empty(await Store.ReadBatchRowsAsync(1, "c1", "minute", 0, long.MaxValue));
        Assert.Equal(3, (await Store.ReadBatchRowsAsync(2, "c1", "minute", 0, long.MaxValue)).Count);
    }

    [SkippableFact]
    public async Task deleting_the_current_version_fails_and_keeps_it()
    {
        await LoadVersionAsync(1, clicks: 1, rows: 3);
        await Store.SetCurrentBatchVersionAsync(1);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.DeleteBatchVersionAsync(1));

        Assert.Equal(1, (await Store.GetCurrentBatchVersionAsync())?.VersionId);
        Assert.Equal(3, (await Store.ReadSnapshotAsync("c1", "minute", T0, T0 + (60 * M))).BatchRows.Count);
    }

    /// <summary>Creates version <paramref name="id"/> with minute rows of campaign c1 whose clicks tell the version, and marks it Ready.</summary>
    private async Task LoadVersionAsync(long id, long clicks, int rows)
    {
        await Store.CreateBatchVersionAsync(ViewRows.Version(id));
        await Store.AppendBatchRowsAsync(id, Enumerable.Range(0, rows).Select(m => ViewRows.Batch("c1", m, 10 + m, clicks)).ToArray());
        await Store.MarkBatchVersionReadyAsync(id, rows);
    }
}

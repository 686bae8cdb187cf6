using System.Collections.Concurrent;

namespace Lambda.Store.Tests;

public abstract partial class ViewStoreContract
{
    [SkippableFact]
    public async Task a_snapshot_before_any_batch_run_has_no_version_and_the_speed_rows()
    {
        await Store.UpsertSpeedRowsAsync([ViewRows.Speed("c1", 0, 0, 10), ViewRows.Speed("c1", 0, 1, 11), ViewRows.Speed("c1", 60, 0, 9)]);

        var snapshot = await Store.ReadSnapshotAsync("c1", "minute", T0, T0 + (60 * M));

        Assert.Null(snapshot.CurrentVersion);
        Assert.Empty(snapshot.BatchRows);
        AssertSpeedRows([ViewRows.Speed("c1", 0, 0, 10), ViewRows.Speed("c1", 0, 1, 11)], snapshot.SpeedRows);
    }

    [SkippableFact]
    public async Task snapshots_never_mix_versions_while_the_current_version_flips()
    {
        const int rows = 120;
        const int flips = 150;
        await LoadVersionAsync(1, clicks: 1, rows: rows);
        await LoadVersionAsync(2, clicks: 2, rows: rows);
        await Store.SetCurrentBatchVersionAsync(1);
        var flipper = await OpenAnotherStoreAsync();
        var failures = new ConcurrentQueue<string>();
        var snapshots = 0;

        var flipping = Task.Run(async () =>
        {
            for (var i = 0; i < flips; i++)
            {
                await flipper.SetCurrentBatchVersionAsync(2 - (i % 2));
            }
        });
        var reading = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            // At least a few snapshots even if the flips finish first; the rest overlap the flips.
            for (var n = 0; n < 10 || !flipping.IsCompleted; n++)
            {
                var snapshot = await Store.ReadSnapshotAsync("c1", "minute", T0, T0 + (rows * M));
                Interlocked.Increment(ref snapshots);
                var version = snapshot.CurrentVersion?.VersionId;
                var clicks = snapshot.BatchRows.Select(r => r.Counts.Clicks).Distinct().ToArray();
                if (snapshot.BatchRows.Count != rows || clicks.Length != 1 || clicks[0] != version)
                {
                    failures.Enqueue($"version {version}: {snapshot.BatchRows.Count} rows with clicks {string.Join(",", clicks)}");
                }
            }
        })).ToArray();
        await Task.WhenAll([flipping, .. reading]);

        Assert.Empty(failures);
        Assert.True(snapshots >= 20);
        Assert.Equal(1, (await Store.GetCurrentBatchVersionAsync())?.VersionId);
    }
}

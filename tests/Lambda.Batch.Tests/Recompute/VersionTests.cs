using System.Text.Json;
using Lambda.Batch.Recompute;
using Lambda.Batch.Tests.Recompute.Fixtures;
using Lambda.SharedModel.Time;
using Lambda.SharedModel.Views;

namespace Lambda.Batch.Tests.Recompute;

public sealed class VersionTests
{
    private static readonly DateOnly Jan1 = new(2025, 1, 1);
    private static readonly DateOnly Jan2 = new(2025, 1, 2);

    [Fact]
    public async Task nothing_is_published_before_a_day_is_complete()
    {
        await using var bed = await BatchTestBed.CreateAsync();
        Assert.Equal(RecomputeOutcome.NothingToDo, (await bed.RecomputeAsync()).Outcome);

        var log = new SimulatedLog();
        var t = new DateTimeOffset(2025, 1, 1, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        MasterFixture.Write(bed.MasterRoot, [log.Append(TrafficScenario.Served("s", "a", "c", "u", "192.0.2.1", "x", t), t + 14 * 3_600_000L)]);
        var result = await bed.RecomputeAsync();

        Assert.Equal(RecomputeOutcome.NothingToDo, result.Outcome);
        Assert.Null(await bed.Store.GetCurrentBatchVersionAsync());
    }

    [Fact]
    public async Task user_ids_sharing_a_user_hash_fail_the_run_and_publish_nothing()
    {
        await using var bed = await BatchTestBed.CreateAsync();
        MasterFixture.Write(bed.MasterRoot, SmallTraffic.Day(new SimulatedLog(), Jan1));
        // Every record's user_hash forged to one value: distinct hashes would undercount the users.
        using (var database = Lambda.DuckDb.DuckDbDatabase.OpenInMemory())
        using (var connection = database.Connect())
        {
            foreach (var path in Directory.GetFiles(bed.MasterRoot, "*.parquet", SearchOption.AllDirectories))
            {
                var forged = path + ".forged";
                connection.Execute($"COPY (SELECT * REPLACE (42::UBIGINT AS user_hash) FROM read_parquet({Lambda.DuckDb.DuckDbSql.Literal(path)})) TO {Lambda.DuckDb.DuckDbSql.Literal(forged)} (FORMAT parquet)");
                File.Move(forged, path, overwrite: true);
            }
        }

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => bed.RecomputeAsync());

        Assert.Matches(@"2025-01-01: \d+ distinct user ids but 1 distinct user hashes", error.Message);
        Assert.Null(await bed.Store.GetCurrentBatchVersionAsync());
    }

    [Fact]
    public async Task rollback_makes_an_older_kept_version_current_again()
    {
        await using var bed = await BatchTestBed.CreateAsync();
        var log = new SimulatedLog();
        MasterFixture.Write(bed.MasterRoot, SmallTraffic.Day(log, Jan1));
        var v1 = await bed.RecomputeAsync();
        MasterFixture.Write(bed.MasterRoot, SmallTraffic.Day(log, Jan2, prefix: "f"));
        var v2 = await bed.RecomputeAsync();
        var catalog = new BatchVersionCatalog(bed.Store, bed.Paths);

        var back = await catalog.RollbackAsync(null);

        Assert.Equal(v1.VersionId, back.VersionId);
        var current = await bed.Store.GetCurrentBatchVersionAsync();
        Assert.Equal(v1.VersionId, current!.VersionId);
        Assert.Equal(v1.WatermarkMs, current.WatermarkMs);
        var snapshot = await bed.Store.ReadSnapshotAsync("campaign-0", "day", 0, long.MaxValue);
        Assert.Single(snapshot.BatchRows);
        await Assert.ThrowsAsync<InvalidOperationException>(() => catalog.RollbackAsync(null));
        await catalog.RollbackAsync(v2.VersionId);
        Assert.Equal(v2.VersionId, (await bed.Store.GetCurrentBatchVersionAsync())!.VersionId);
        await Assert.ThrowsAsync<InvalidOperationException>(() => catalog.RollbackAsync(99));
    }

    [Fact]
    public async Task only_the_newest_versions_are_kept_in_the_store_and_on_disk()
    {
        await using var bed = await BatchTestBed.CreateAsync();
        MasterFixture.Write(bed.MasterRoot, SmallTraffic.Day(new SimulatedLog(), Jan1));
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await bed.RecomputeAsync(full: true, keepVersions: 3)).VersionId!.Value);
        }

        var kept = (await bed.Store.ListBatchVersionsAsync()).Select(v => v.VersionId).ToList();
        Assert.Equal(ids.TakeLast(3).Reverse(), kept);
        Assert.Equal(ids.TakeLast(3).Order().Select(BatchPaths.VersionName),
            Directory.GetDirectories(bed.Paths.ViewsRoot).Select(Path.GetFileName).Order());
        Assert.False(File.Exists(bed.Paths.DriftFile(ids[0])));
        Assert.True(File.Exists(bed.Paths.DriftFile(ids[^1])));
    }

    [Fact]
    public async Task a_version_without_a_drift_report_and_no_drift_directory_is_pruned()
    {
        // As after a kill -9 between the first version's flip and its drift report.
        await using var bed = await BatchTestBed.CreateAsync();
        MasterFixture.Write(bed.MasterRoot, SmallTraffic.Day(new SimulatedLog(), Jan1));
        var first = (await bed.RecomputeAsync(full: true, keepVersions: 3)).VersionId!.Value;
        var second = (await bed.RecomputeAsync(full: true, keepVersions: 3)).VersionId!.Value;
        Directory.Delete(bed.Paths.DriftRoot, recursive: true);

        Assert.Equal([first], await new BatchVersionCatalog(bed.Store, bed.Paths).PruneAsync(keep: 1));
        Assert.Equal([second], (await bed.Store.ListBatchVersionsAsync()).Select(v => v.VersionId));
    }

    [Fact]
    public async Task a_version_failing_validation_leaves_the_current_version_and_records_the_failure()
    {
        await using var bed = await BatchTestBed.CreateAsync();
        var log = new SimulatedLog();
        MasterFixture.Write(bed.MasterRoot, SmallTraffic.Day(log, Jan1));
        var good = await bed.RecomputeAsync();
        var t = new DateTimeOffset(2025, 1, 1, 12, 0, 30, TimeSpan.Zero).ToUnixTimeMilliseconds();
        MasterFixture.Write(bed.MasterRoot,
            [log.Append(TrafficScenario.Served("refund", "ad-r", "campaign-r", "user-r", "192.0.2.1", "x", t, cost: -5_000_000), t + Granularities.DayMs)]);

        var failed = await bed.RecomputeAsync();

        Assert.Equal(RecomputeOutcome.ValidationFailed, failed.Outcome);
        Assert.Contains(failed.Problems, p => p.Contains("negative", StringComparison.Ordinal));
        Assert.Equal(good.VersionId, (await bed.Store.GetCurrentBatchVersionAsync())!.VersionId);
        Assert.Single(await bed.Store.ListBatchVersionsAsync());
        Assert.False(Directory.Exists(bed.Paths.VersionDirectory(failed.VersionId!.Value)));
        using var record = JsonDocument.Parse(File.ReadAllText(bed.Paths.FailureFile(failed.VersionId.Value)));
        Assert.Equal(failed.VersionId, record.RootElement.GetProperty("version_id").GetInt64());
        Assert.NotEmpty(record.RootElement.GetProperty("problems").EnumerateArray());
        var retried = await bed.RecomputeAsync(full: true);
        Assert.Equal(RecomputeOutcome.ValidationFailed, retried.Outcome);
        Assert.Equal(failed.VersionId + 1, retried.VersionId);
        Assert.Equal(BatchVersionStates.Ready, (await bed.Store.GetCurrentBatchVersionAsync())!.State);
    }
}

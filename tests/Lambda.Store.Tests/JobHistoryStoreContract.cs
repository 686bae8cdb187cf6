using Lambda.SharedModel.Jobs;

namespace Lambda.Store.Tests;

/// <summary>
/// The job history contract, run against every implementation, as <see cref="ViewStoreContract"/>:
/// a derived class supplies stores over one fresh database or sets <see cref="Unavailable"/>.
/// </summary>
public abstract class JobHistoryStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 2, 0, 0, TimeSpan.Zero);
    private readonly List<IJobHistoryStore> _stores = [];
    private IJobHistoryStore? _store;

    /// <summary>Why the store cannot be tested here, or null.</summary>
    protected string? Unavailable { get; set; }

    /// <summary>The initialized store under test.</summary>
    protected IJobHistoryStore Store
    {
        get
        {
            StoreAvailability.Require(Unavailable);
            return _store!;
        }
    }

    protected abstract Task PrepareAsync();

    protected abstract IJobHistoryStore NewStore();

    protected abstract Task CleanUpAsync();

    [SkippableFact]
    public async Task a_started_run_is_running_until_its_end_is_recorded()
    {
        var id = await Store.RecordStartAsync("recompute", "host-a", "schedule", T0);

        var running = Assert.Single(await Store.ListRunsAsync(null, 10));
        Assert.Equal(new JobRun(id, "recompute", "host-a", "schedule", T0, null, JobOutcomes.Running, 0, 0, null), running);
        Assert.Null(running.Duration);

        await Store.RecordEndAsync(id, T0.AddMinutes(3), JobOutcomes.Succeeded, 12_345, 1, null);

        var ended = Assert.Single(await Store.ListRunsAsync("recompute", 10));
        Assert.Equal(JobOutcomes.Succeeded, ended.Outcome);
        Assert.Equal(T0.AddMinutes(3), ended.EndedAt);
        Assert.Equal(12_345, ended.Rows);
        Assert.Equal(TimeSpan.FromMinutes(3), ended.Duration);
    }

    [SkippableFact]
    public async Task a_failed_run_keeps_its_error_and_attempts()
    {
        var id = await Store.RecordStartAsync("archive", "host-a", "misfire", T0);
        await Store.RecordEndAsync(id, T0.AddSeconds(7), JobOutcomes.Failed, 0, 4, "disk full: /data/master");

        var run = Assert.Single(await Store.ListRunsAsync("archive", 1));
        Assert.Equal((JobOutcomes.Failed, 4, "disk full: /data/master", "misfire"), (run.Outcome, run.Attempts, run.Error, run.Trigger));
    }

    [SkippableFact]
    public async Task runs_are_listed_newest_first_per_job_and_limited()
    {
        for (var i = 0; i < 3; i++)
        {
            await Store.RecordStartAsync("archive", "h", "schedule", T0.AddHours(i));
            await Store.RecordStartAsync("recompute", "h", "schedule", T0.AddHours(i).AddMinutes(1));
        }

        var archives = await Store.ListRunsAsync("archive", 2);
        Assert.Equal([T0.AddHours(2), T0.AddHours(1)], archives.Select(r => r.StartedAt));
        Assert.All(archives, r => Assert.Equal("archive", r.JobName));
        Assert.Equal(6, (await Store.ListRunsAsync(null, 100)).Count);
        Assert.Equal("recompute", (await Store.ListRunsAsync(null, 1))[0].JobName);
    }

    [SkippableFact]
    public async Task the_latest_run_of_each_job_is_listed_by_job_name()
    {
        await Store.RecordStartAsync("speed-retention", "h", "schedule", T0);
        var old = await Store.RecordStartAsync("archive", "h", "schedule", T0);
        await Store.RecordEndAsync(old, T0.AddMinutes(1), JobOutcomes.Succeeded, 10, 1, null);
        var latest = await Store.RecordStartAsync("archive", "h", "schedule", T0.AddHours(1));

        var runs = await Store.LatestRunPerJobAsync();

        Assert.Equal(["archive", "speed-retention"], runs.Select(r => r.JobName));
        Assert.Equal(latest, runs[0].RunId);
        Assert.Equal(JobOutcomes.Running, runs[0].Outcome);
    }

    [SkippableFact]
    public async Task a_second_store_over_the_same_database_sees_the_history()
    {
        var id = await Store.RecordStartAsync("recompute", "host-a", "manual", T0);
        await using var other = NewStore();
        await other.InitializeAsync();
        await other.RecordEndAsync(id, T0.AddSeconds(1), JobOutcomes.Cancelled, 0, 1, null);

        Assert.Equal(JobOutcomes.Cancelled, (await Store.ListRunsAsync(null, 1))[0].Outcome);
    }

    [SkippableFact]
    public async Task ending_an_unknown_run_is_an_error()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Store.RecordEndAsync(424242, T0, JobOutcomes.Succeeded, 0, 1, null));
    }

    public async Task InitializeAsync()
    {
        await PrepareAsync();
        if (Unavailable is null)
        {
            _store = NewStore();
            _stores.Add(_store);
            await _store.InitializeAsync();
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        if (Unavailable is null)
        {
            await CleanUpAsync();
        }
    }
}

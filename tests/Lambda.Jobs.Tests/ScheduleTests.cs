using Lambda.SharedModel.Jobs;
using Microsoft.Extensions.Time.Testing;

namespace Lambda.Jobs.Tests;

/// <summary>The cron schedule on a fake clock, over a persistent (SQLite) Hangfire schedule.</summary>
public sealed class ScheduleTests : IAsyncLifetime
{
    private readonly SchedulerTestBed _bed = new();

    public Task InitializeAsync() => _bed.InitializeAsync();

    public Task DisposeAsync() => _bed.DisposeAsync().AsTask();

    [Fact]
    public async Task the_nightly_recompute_fires_at_two_utc()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 1, 59, 0, TimeSpan.Zero));
        var batch = new RecordingBatch();
        var scheduler = _bed.NewScheduler(_bed.Options("a"), batch, clock);
        await scheduler.StartAsync(CancellationToken.None);

        Assert.Equal(new DateTimeOffset(2026, 11, 22, 2, 0, 0, TimeSpan.Zero), (await scheduler.NextFireTimesAsync(default))[JobNames.Recompute]);
        Assert.Empty(await _bed.History.ListRunsAsync(JobNames.Recompute, 10));
        // A first start on a new schedule changes no schedule: no "schedule changed" warning.
        Assert.DoesNotContain(_bed.Logs.Entries, e => e.Id.Id == 6006);

        await SchedulerTestBed.UntilAsync(
            async () => (await _bed.EndedRunsAsync(JobNames.Recompute)).Count == 1,
            () => { if (clock.GetUtcNow() < new DateTimeOffset(2026, 11, 22, 2, 0, 30, TimeSpan.Zero)) clock.Advance(TimeSpan.FromSeconds(1)); });

        var run = Assert.Single(await _bed.EndedRunsAsync(JobNames.Recompute));
        Assert.Equal((TriggerKinds.Schedule, JobOutcomes.Succeeded, 42L, "a"), (run.Trigger, run.Outcome, run.Rows, run.Instance));
        Assert.InRange(run.StartedAt, new DateTimeOffset(2026, 11, 22, 2, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 22, 2, 0, 30, TimeSpan.Zero));
        Assert.Equal(1, batch.Recomputes);
        Assert.Equal(1, batch.Archives); // the recompute archives first
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero), (await scheduler.NextFireTimesAsync(default))[JobNames.Recompute]);
    }

    [Fact]
    public async Task a_nightly_run_missed_while_down_runs_once_at_start()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));
        var options = _bed.Options("a");
        var first = _bed.NewScheduler(options, new RecordingBatch(), clock);
        await first.StartAsync(CancellationToken.None);
        await first.StopAsync(CancellationToken.None);

        // Down for two nights: the runs of the 21st and the 22nd are missed.
        clock.Advance(TimeSpan.FromDays(2));
        var batch = new RecordingBatch();
        var second = _bed.NewScheduler(_bed.Options("b"), batch, clock);
        await second.StartAsync(CancellationToken.None);

        await SchedulerTestBed.UntilAsync(
            async () => (await _bed.EndedRunsAsync(JobNames.Recompute)).Count >= 1
                && (await second.NextFireTimesAsync(default))[JobNames.Recompute] > clock.GetUtcNow(),
            () => clock.Advance(TimeSpan.FromMilliseconds(500)));

        var run = Assert.Single(await _bed.EndedRunsAsync(JobNames.Recompute));
        Assert.Equal((TriggerKinds.Misfire, JobOutcomes.Succeeded, "b"), (run.Trigger, run.Outcome, run.Instance));
        Assert.Equal(1, batch.Recomputes);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero), (await second.NextFireTimesAsync(default))[JobNames.Recompute]);
    }

    [Fact]
    public async Task the_crons_are_read_in_the_schedule_time_zone_or_the_jobs_own()
    {
        // 22 November: Paris is at UTC+1, so 02:00 in Paris is 01:00 UTC; retention keeps its own zone, UTC.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 0, 30, 0, TimeSpan.Zero));
        var options = _bed.Options("a");
        var scheduler = _bed.NewScheduler(new SchedulerOptions
        {
            Store = options.Store,
            ConnectionString = options.ConnectionString,
            InstanceId = options.InstanceId,
            TimeZone = "Europe/Paris",
            RetentionTimeZone = "UTC",
        }, new RecordingBatch(), clock);
        await scheduler.StartAsync(CancellationToken.None);

        var next = await scheduler.NextFireTimesAsync(default);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 1, 0, 0, TimeSpan.Zero), next[JobNames.Recompute]);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 1, 5, 0, TimeSpan.Zero), next[JobNames.Archive]);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 3, 30, 0, TimeSpan.Zero), next[JobNames.SpeedRetention]);
    }
}

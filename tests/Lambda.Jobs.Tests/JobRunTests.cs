using Lambda.SharedModel.Jobs;
using Lambda.SharedModel.Views;
using Microsoft.Extensions.Logging;

namespace Lambda.Jobs.Tests;

/// <summary>What a run records: retries of transient errors, alerts for fatal ones, retention's deletes.</summary>
public sealed class JobRunTests : IAsyncLifetime
{
    private readonly SchedulerTestBed _bed = new();

    public Task InitializeAsync() => _bed.InitializeAsync();

    public Task DisposeAsync() => _bed.DisposeAsync().AsTask();

    [Fact]
    public async Task transient_errors_are_retried_and_the_run_succeeds()
    {
        var batch = new RecordingBatch { TransientFailures = 2 };
        var scheduler = await StartAsync(batch);

        var run = await scheduler.RunNowAsync(JobNames.Recompute, CancellationToken.None);

        Assert.Equal((JobOutcomes.Succeeded, 3, TriggerKinds.Manual, 42L), (run.Outcome, run.Attempts, run.Trigger, run.Rows));
        Assert.Equal(2, _bed.Logs.Entries.Count(e => e.Id.Id == 6002 && e.Level == LogLevel.Warning));
        Assert.DoesNotContain(_bed.Logs.Entries, e => e.Level == LogLevel.Critical);
    }

    [Fact]
    public async Task transient_errors_past_the_last_attempt_fail_the_run_with_an_alert()
    {
        var batch = new RecordingBatch { TransientFailures = 10 };
        var scheduler = await StartAsync(batch);

        var run = await scheduler.RunNowAsync(JobNames.Recompute, CancellationToken.None);

        Assert.Equal((JobOutcomes.Failed, 4), (run.Outcome, run.Attempts));
        Assert.Contains("TimeoutException", run.Error, StringComparison.Ordinal);
        Assert.Single(_bed.Logs.Entries, e => e.Level == LogLevel.Critical && e.Id.Id == 6003);
    }

    [Fact]
    public async Task a_fatal_error_is_not_retried_and_raises_an_alert()
    {
        var batch = new RecordingBatch { FatalError = new InvalidDataException("master file day=2026-11-21 is corrupt") };
        var scheduler = await StartAsync(batch);

        var run = await scheduler.RunNowAsync(JobNames.Recompute, CancellationToken.None);

        Assert.Equal((JobOutcomes.Failed, 1), (run.Outcome, run.Attempts));
        Assert.Equal("InvalidDataException: master file day=2026-11-21 is corrupt", run.Error);
        var alert = Assert.Single(_bed.Logs.Entries, e => e.Level == LogLevel.Critical);
        Assert.Equal(6003, alert.Id.Id);
        Assert.Contains("recompute", alert.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task speed_retention_deletes_rows_older_than_the_watermark_minus_the_grace_period()
    {
        var day = TimeSpan.FromDays(1).Ticks / TimeSpan.TicksPerMillisecond;
        var w = new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        await _bed.Views.UpsertSpeedRowsAsync([Row(w - (3 * day)), Row(w - (2 * day) - 60_000), Row(w - (2 * day)), Row(w - day), Row(w)]);
        await _bed.Views.CreateBatchVersionAsync(new BatchVersionInfo(1, w, DateTimeOffset.UnixEpoch, "{}", 0, BatchVersionStates.Loading));
        await _bed.Views.MarkBatchVersionReadyAsync(1, 0);
        await _bed.Views.SetCurrentBatchVersionAsync(1);
        var scheduler = await StartAsync(new RecordingBatch());

        var run = await scheduler.RunNowAsync(JobNames.SpeedRetention, CancellationToken.None);

        Assert.Equal((JobOutcomes.Succeeded, 2L), (run.Outcome, run.Rows));
        var left = await _bed.Views.ReadSpeedRowsAsync("c1", 0, long.MaxValue);
        Assert.Equal([w - (2 * day), w - day, w], left.Select(r => r.BucketStartMs));
    }

    [Fact]
    public async Task speed_retention_deletes_nothing_before_the_first_batch_version()
    {
        await _bed.Views.UpsertSpeedRowsAsync([Row(0), Row(60_000)]);
        var scheduler = await StartAsync(new RecordingBatch());

        var run = await scheduler.RunNowAsync(JobNames.SpeedRetention, CancellationToken.None);

        Assert.Equal((JobOutcomes.Succeeded, 0L), (run.Outcome, run.Rows));
        Assert.Equal(2, (await _bed.Views.ReadSpeedRowsAsync("c1", 0, long.MaxValue)).Count);
    }

    [Fact]
    public async Task a_second_scheduler_on_the_same_sqlite_store_is_refused()
    {
        await StartAsync(new RecordingBatch());
        var second = _bed.NewScheduler(_bed.Options("b"), new RecordingBatch());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => second.StartAsync(CancellationToken.None));
        Assert.Contains("another scheduler is running", error.Message, StringComparison.Ordinal);
    }

    private async Task<JobScheduler> StartAsync(RecordingBatch batch)
    {
        var options = _bed.Options("a");
        var scheduler = _bed.NewScheduler(new SchedulerOptions
        {
            Store = options.Store,
            ConnectionString = options.ConnectionString,
            InstanceId = options.InstanceId,
            RetryDelay = TimeSpan.Zero,
            IdleWait = options.IdleWait,
            SchedulePollInterval = options.SchedulePollInterval,
            RecomputeCron = SchedulerTestBed.Never,
            ArchiveCron = SchedulerTestBed.Never,
            RetentionCron = SchedulerTestBed.Never,
        }, batch);
        await scheduler.StartAsync(CancellationToken.None);
        return scheduler;
    }

    private static SpeedViewRow Row(long bucketStartMs) =>
        new("c1", bucketStartMs, 0, new MetricCounts(1, 0, 0, 10, 0, 0, 0, 0), new byte[16], true);
}

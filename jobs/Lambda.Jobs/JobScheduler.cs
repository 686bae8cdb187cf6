using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Client;
using Hangfire.Common;
using Hangfire.Logging;
using Hangfire.Server;
using Hangfire.States;
using Hangfire.Storage;
using Lambda.Jobs.Scheduled;
using Lambda.SharedModel.IO;
using Lambda.SharedModel.Jobs;
using Lambda.SharedModel.Views;
using Microsoft.Extensions.Logging;

namespace Lambda.Jobs;

/// <summary>
/// The platform's scheduler: a Hangfire server running the nightly recompute, the hourly archive and
/// the speed retention as recurring jobs. On PostgreSQL any number of schedulers may share the schedule
/// (one cluster per schema); on SQLite (the embedded default) one scheduler holds the file and a second
/// is refused. No two runs of one job overlap (<see cref="IRunLock"/>), and a run missed while every
/// scheduler was down runs once at start (Hangfire's relaxed misfire handling), recorded as a misfire.
/// The clock is the given <see cref="TimeProvider"/>: Hangfire's recurring scheduler and manager take a
/// time function, so tests drive the schedule with a fake clock.
/// </summary>
public sealed class JobScheduler : IAsyncDisposable
{
    private static readonly string[] Queues = ["default"];

    /// <summary>How long a stop waits for running jobs before cancelling them.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromHours(1);

    private readonly SchedulerOptions _options;
    private readonly IJobHistoryStore _history;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly JobRunner _runner;
    private readonly ScheduledJobActivator _activator;
    private JobStorage? _storage;
    private BackgroundProcessingServer? _server;
    private FileLock? _storeLock;

    /// <summary>A scheduler (not started) over the given batch layer and stores.</summary>
    public JobScheduler(SchedulerOptions options, IBatchOperations batch, IViewStore views, IJobHistoryStore history,
        ILoggerFactory loggers, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        options.Validate();
        _options = options;
        _history = history;
        _time = time ?? TimeProvider.System;
        _logger = loggers.CreateLogger("Lambda.Jobs");
        IRunLock runLock = options.Store == "postgres" ? new PostgresRunLock(options.ConnectionString, options.SchemaName) : new ProcessRunLock();
        _runner = new JobRunner(history, runLock, options, _time, loggers);
        _activator = new ScheduledJobActivator(_runner, batch, views, options, loggers);
    }

    /// <summary>The Hangfire storage of the schedule (after <see cref="StartAsync"/>); the dashboard reads it.</summary>
    public JobStorage Storage => _storage ?? throw new InvalidOperationException("the scheduler has not been started");

    /// <summary>True once <see cref="StartAsync"/> has opened the schedule.</summary>
    public bool IsStarted => _storage is not null;

    /// <summary>The job history this scheduler records into.</summary>
    public IJobHistoryStore History => _history;

    /// <summary>
    /// Sends Hangfire's own log lines (server start and stop, storage trouble) to <paramref name="loggers"/>,
    /// under the "Hangfire" categories. Hangfire holds its log provider process-wide, so the host sets it once.
    /// </summary>
    public static void LogHangfireTo(ILoggerFactory loggers) => LogProvider.SetCurrentLogProvider(new AspNetCoreLogProvider(loggers));

    /// <summary>Registers the jobs (keeping the stored schedule, so a missed run still fires) and starts.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_options.Store == "sqlite")
        {
            _storeLock = ScheduleStorage.LockSqlite(_options.ConnectionString);
        }

        _storage = ScheduleStorage.Open(_options);
        using (var connection = _storage.GetConnection())
        {
            foreach (var (job, schedule) in _options.Schedules)
            {
                EnsureScheduled(connection, job, schedule);
            }
        }

        _server = new BackgroundProcessingServer(_storage, Processes(), new Dictionary<string, object>(), new BackgroundProcessingServerOptions
        {
            ServerName = _options.InstanceId,
            HeartbeatInterval = _options.ClusterCheckinInterval,
            ServerTimeout = _options.ClusterCheckinInterval * 4,
            ServerCheckInterval = _options.ClusterCheckinInterval * 2,
            // Hangfire's processes stop at once; the runs in progress are let finish by StopAsync.
            StopTimeout = TimeSpan.Zero,
            ShutdownTimeout = StopGrace + TimeSpan.FromMinutes(1),
        });
        var next = NextFireTimes();
        foreach (var (job, schedule) in _options.Schedules)
        {
            JobLog.Scheduled(_logger, _options.InstanceId, _options.Store, job, schedule.Cron, schedule.TimeZone, next[job]);
        }

        return Task.CompletedTask;
    }

    /// <summary>Queues a run of <paramref name="job"/> now (it still never overlaps a running one).</summary>
    public Task TriggerAsync(string job, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Manager().TriggerJob(job);
        return Task.CompletedTask;
    }

    /// <summary>Runs <paramref name="job"/> now and waits for its run to end; returns that run from the history.</summary>
    public async Task<JobRun> RunNowAsync(string job, CancellationToken cancellationToken)
    {
        var before = (await _history.ListRunsAsync(job, 1, cancellationToken).ConfigureAwait(false)) is [var last] ? last.RunId : 0;
        await TriggerAsync(job, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var runs = await _history.ListRunsAsync(job, 5, cancellationToken).ConfigureAwait(false);
            if (runs.FirstOrDefault(r => r.RunId > before && r.Trigger == TriggerKinds.Manual && r.EndedAt is not null) is { } run)
            {
                return run;
            }

            // Polls on the wall clock: the run itself happens in wall time whatever the scheduler's clock says.
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>When each job fires next, by job name.</summary>
    public Task<IReadOnlyDictionary<string, DateTimeOffset?>> NextFireTimesAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(NextFireTimes());
    }

    /// <summary>
    /// Stops firing and waits for running jobs to end; one still running after an hour sees its token
    /// cancelled and records the run cancelled.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { } server)
        {
            _server = null;
            server.SendStop();
            await _runner.DrainAsync(StopGrace).ConfigureAwait(false);
            await server.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            server.Dispose();
        }

        (_storage as IDisposable)?.Dispose();
        _storage = null;
        _storeLock?.Dispose();
        _storeLock = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    private DateTime UtcNow() => _time.GetUtcNow().UtcDateTime;

    /// <summary>Manual triggers and schedule updates: on this scheduler's clock, without the schedule's trigger stamp.</summary>
    private RecurringJobManager Manager() =>
        new(Storage, JobFilterProviders.Providers, new DefaultTimeZoneResolver(), UtcNow);

    private IReadOnlyDictionary<string, DateTimeOffset?> NextFireTimes()
    {
        using var connection = Storage.GetConnection();
        return connection.GetRecurringJobs([.. JobNames.All]).ToDictionary(
            j => j.Id, j => j.NextExecution is { } next ? new DateTimeOffset(DateTime.SpecifyKind(next, DateTimeKind.Utc)) : (DateTimeOffset?)null,
            StringComparer.Ordinal);
    }

    private IEnumerable<IBackgroundProcessDispatcherBuilder> Processes()
    {
        var filters = JobFilterProviders.Providers;
        var stateChanger = new BackgroundJobStateChanger(filters);
        var schedule = new ScheduledRunFactory(new BackgroundJobFactory(filters), _options.MisfireThreshold, UtcNow);
        return
        [
            // One worker per job: the three never wait for each other, only for a run of their own job.
            new Worker(Queues, new BackgroundJobPerformer(filters, _activator, TaskScheduler.Default), stateChanger).UseBackgroundPool(JobNames.All.Count),
            new RecurringJobScheduler(schedule, SchedulePollInterval(), new DefaultTimeZoneResolver(), UtcNow).UseBackgroundPool(1),
        ];
    }

    /// <summary>Every second if a cron names seconds, else at the minute (or as configured).</summary>
    private TimeSpan SchedulePollInterval() =>
        _options.SchedulePollInterval
        ?? (_options.Schedules.Values.Any(s => s.Cron.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var seconds, _, _, _, _, _] && seconds != "0")
            ? TimeSpan.FromSeconds(1)
            : TimeSpan.FromMinutes(1));

    /// <summary>
    /// Adds or updates the recurring job. An unchanged one is left as stored, so a run it missed while
    /// every scheduler was down still fires; a changed cron or time zone drops that missed run.
    /// </summary>
    private void EnsureScheduled(IStorageConnection connection, string name, JobSchedule schedule)
    {
        var stored = connection.GetRecurringJobs([name]).FirstOrDefault();
        var cron = schedule.Cron;
        var timeZone = TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone);
        // A job never scheduled comes back as an entry with no cron: nothing changed for it.
        if (stored is { Cron: { Length: > 0 } oldCron } && (oldCron != cron || stored.TimeZoneId != timeZone.Id))
        {
            JobLog.Rescheduled(_logger, name, $"{oldCron} ({stored.TimeZoneId})", $"{cron} ({timeZone.Id})");
        }

        Manager().AddOrUpdate(name, JobOf(name), cron, new RecurringJobOptions
        {
            TimeZone = timeZone,
            MisfireHandling = MisfireHandlingMode.Relaxed,
        });
    }

    private static Job JobOf(string name) => name switch
    {
        JobNames.Archive => Job.FromExpression<HourlyArchiveJob>(j => j.RunAsync(null)),
        JobNames.Recompute => Job.FromExpression<NightlyRecomputeJob>(j => j.RunAsync(null)),
        JobNames.SpeedRetention => Job.FromExpression<SpeedRetentionJob>(j => j.RunAsync(null)),
        _ => throw new ArgumentException($"unknown job '{name}'", nameof(name)),
    };
}

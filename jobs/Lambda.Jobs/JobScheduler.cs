using Lambda.Jobs.Scheduled;
using Lambda.SharedModel.Jobs;
using Lambda.SharedModel.Views;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Lambda.Jobs;

/// <summary>
/// The platform's scheduler: Quartz with the nightly recompute, the hourly archive and the speed
/// retention as cron jobs. On PostgreSQL it is clustered: any number of schedulers may share the
/// store and no job runs twice at once across them (<see cref="DisallowConcurrentExecutionAttribute"/>
/// is enforced in the store). On SQLite (the embedded default) Quartz cannot cluster, so one scheduler
/// holds the file and a second is refused. Either way a run missed while down fires once at start.
/// </summary>
public sealed class JobScheduler : IAsyncDisposable
{
    private const string Group = "lambda";

    private readonly ServiceProvider _services;
    private readonly SchedulerOptions _options;
    private readonly IJobHistoryStore _history;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private IScheduler? _scheduler;
    private StoreLock? _storeLock;

    /// <summary>A scheduler (not started) over the given batch layer and stores.</summary>
    public JobScheduler(SchedulerOptions options, IBatchOperations batch, IViewStore views, IJobHistoryStore history,
        ILoggerFactory loggers, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _history = history;
        _time = time ?? TimeProvider.System;
        _logger = loggers.CreateLogger("Lambda.Jobs");
        var services = new ServiceCollection();
        services.AddSingleton(loggers);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton(options);
        services.AddSingleton(batch);
        services.AddSingleton(views);
        services.AddSingleton(history);
        services.AddSingleton(_time);
        services.AddSingleton<MisfireTracker>();
        services.AddSingleton<JobRunner>();
        services.AddQuartz(q => QuartzSetup.Configure(q, options, _time));
        _services = services.BuildServiceProvider();
    }

    /// <summary>The running Quartz scheduler (after <see cref="StartAsync"/>).</summary>
    public IScheduler Quartz => _scheduler ?? throw new InvalidOperationException("the scheduler has not been started");

    /// <summary>The job history this scheduler records into.</summary>
    public IJobHistoryStore History => _history;

    /// <summary>Registers the jobs (keeping the stored schedule, so a missed run still fires) and starts.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.Store == "sqlite")
        {
            _storeLock = StoreLock.Acquire(_options.ConnectionString);
        }

        var factory = _services.GetRequiredService<ISchedulerFactory>();
        _scheduler = await factory.GetScheduler(cancellationToken).ConfigureAwait(false);
        _scheduler.ListenerManager.AddTriggerListener(_services.GetRequiredService<MisfireTracker>());
        await EnsureScheduledAsync<HourlyArchiveJob>(JobNames.Archive, _options.ArchiveCron, cancellationToken).ConfigureAwait(false);
        await EnsureScheduledAsync<NightlyRecomputeJob>(JobNames.Recompute, _options.RecomputeCron, cancellationToken).ConfigureAwait(false);
        await EnsureScheduledAsync<SpeedRetentionJob>(JobNames.SpeedRetention, _options.RetentionCron, cancellationToken).ConfigureAwait(false);
        await _scheduler.Start(cancellationToken).ConfigureAwait(false);
        foreach (var job in JobNames.All)
        {
            var trigger = await _scheduler.GetTrigger(new TriggerKey(job, Group), cancellationToken).ConfigureAwait(false);
            JobLog.Scheduled(_logger, _options.InstanceId, _options.Store, job, (trigger as ICronTrigger)?.CronExpressionString ?? "?",
                trigger?.NextFireTimeUtc);
        }
    }

    /// <summary>Queues a run of <paramref name="job"/> now (it still never overlaps a running one).</summary>
    public async Task TriggerAsync(string job, CancellationToken cancellationToken)
    {
        await Quartz.TriggerJob(new JobKey(job, Group), cancellationToken: cancellationToken).ConfigureAwait(false);
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
    public async Task<IReadOnlyDictionary<string, DateTimeOffset?>> NextFireTimesAsync(CancellationToken cancellationToken)
    {
        var next = new Dictionary<string, DateTimeOffset?>();
        foreach (var job in JobNames.All)
        {
            var trigger = await Quartz.GetTrigger(new TriggerKey(job, Group), cancellationToken).ConfigureAwait(false);
            next[job] = trigger?.NextFireTimeUtc;
        }

        return next;
    }

    /// <summary>Stops firing and waits for running jobs (they see their token cancelled and record it).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_scheduler is { Status: not (SchedulerStatus.Shutdown or SchedulerStatus.ShuttingDown) } scheduler)
        {
            await scheduler.Shutdown(waitForJobsToComplete: true, cancellationToken).ConfigureAwait(false);
        }

        _storeLock?.Dispose();
        _storeLock = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _services.DisposeAsync().ConfigureAwait(false);
    }

    private async Task EnsureScheduledAsync<TJob>(string name, string cron, CancellationToken cancellationToken) where TJob : IJob
    {
        var scheduler = Quartz;
        var jobKey = new JobKey(name, Group);
        var triggerKey = new TriggerKey(name, Group);
        var job = JobBuilder.Create<TJob>().WithIdentity(jobKey).StoreDurably().Build();
        var trigger = TriggerBuilder.Create(_time)
            .WithIdentity(triggerKey)
            .ForJob(jobKey)
            .WithCronSchedule(cron, x => x.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            .Build();
        var existing = await scheduler.GetTrigger(triggerKey, cancellationToken).ConfigureAwait(false);
        if (existing is ICronTrigger stored && stored.CronExpressionString == cron)
        {
            // Keep the stored trigger untouched: replacing it would forget a run missed while down.
            return;
        }

        await scheduler.AddJob(job, AddJobOptions.Replacing, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            try
            {
                await scheduler.ScheduleJob(trigger, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectAlreadyExistsException)
            {
                // Another node of the cluster scheduled it first: the same schedule, nothing to do.
            }
        }
        else
        {
            JobLog.Rescheduled(_logger, name, (existing as ICronTrigger)?.CronExpressionString ?? "?", cron);
            await scheduler.RescheduleJob(triggerKey, trigger, cancellationToken).ConfigureAwait(false);
        }
    }
}

using System.Diagnostics;
using Lambda.SharedModel.Jobs;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Quartz;

namespace Lambda.Jobs;

/// <summary>
/// Runs the body of a scheduled job: records its start and end in the job history, retries transient
/// errors with exponential backoff, and raises a fatal error as a Critical alert
/// (<see cref="JobLog.JobFailedEventId"/>) instead of letting Quartz refire it.
/// </summary>
internal sealed class JobRunner
{
    private readonly IJobHistoryStore _history;
    private readonly MisfireTracker _misfires;
    private readonly SchedulerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _retries;

    public JobRunner(IJobHistoryStore history, MisfireTracker misfires, SchedulerOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        _history = history;
        _misfires = misfires;
        _options = options;
        _time = time;
        _logger = loggers.CreateLogger("Lambda.Jobs");
        _retries = options.MaxAttempts == 1
            ? ResiliencePipeline.Empty
            : new ResiliencePipelineBuilder { TimeProvider = time }
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<Exception>(TransientErrors.IsTransient),
                    MaxRetryAttempts = options.MaxAttempts - 1,
                    Delay = options.RetryDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = options.RetryDelay > TimeSpan.Zero,
                    OnRetry = args =>
                    {
                        JobLog.Retrying(_logger, args.Outcome.Exception!, CurrentJob.Value ?? "?", args.AttemptNumber + 1,
                            (long)args.RetryDelay.TotalMilliseconds);
                        return ValueTask.CompletedTask;
                    },
                })
                .Build();
    }

    private static AsyncLocal<string?> CurrentJob { get; } = new();

    /// <summary>Runs <paramref name="body"/> (which returns the rows it produced) as one recorded run of <paramref name="job"/>.</summary>
    public async ValueTask RunAsync(string job, IJobExecutionContext context, Func<CancellationToken, Task<long>> body,
        CancellationToken cancellationToken)
    {
        var trigger = KindOf(context);
        var started = _time.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        var runId = await RecordAsync(job, () => _history.RecordStartAsync(job, _options.InstanceId, trigger, started, CancellationToken.None)).ConfigureAwait(false);
        JobLog.Started(_logger, job, trigger, _options.InstanceId, runId);
        CurrentJob.Value = job;
        var attempts = 0;
        try
        {
            var rows = await _retries.ExecuteAsync(async ct =>
            {
                attempts++;
                return await body(ct).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            await End(runId, JobOutcomes.Succeeded, rows, attempts, null).ConfigureAwait(false);
            JobLog.Succeeded(_logger, job, stopwatch.ElapsedMilliseconds, rows, attempts, runId);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await End(runId, JobOutcomes.Cancelled, 0, attempts, null).ConfigureAwait(false);
            JobLog.Cancelled(_logger, job, runId);
        }
#pragma warning disable CA1031 // a job's failure of any kind is recorded and alerted, never rethrown into Quartz
        catch (Exception error)
#pragma warning restore CA1031
        {
            var message = $"{error.GetType().Name}: {error.Message}";
            await End(runId, JobOutcomes.Failed, 0, attempts, message).ConfigureAwait(false);
            JobLog.Failed(_logger, error, job, attempts, runId, message);
        }

        async Task End(long id, string outcome, long rows, int tries, string? error) =>
            await RecordAsync(job, async () =>
            {
                await _history.RecordEndAsync(id, _time.GetUtcNow(), outcome, rows, tries, error, CancellationToken.None).ConfigureAwait(false);
                return id;
            }).ConfigureAwait(false);
    }

    private string KindOf(IJobExecutionContext context)
    {
        if (_misfires.TakeMisfire(context.Trigger.Key))
        {
            return TriggerKinds.Misfire;
        }

        return context.Trigger is ICronTrigger ? TriggerKinds.Schedule : TriggerKinds.Manual;
    }

    private async Task<long> RecordAsync(string job, Func<Task<long>> write)
    {
        try
        {
            return await write().ConfigureAwait(false);
        }
        catch (Exception error) when (error is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            // A history that cannot be written must not stop the batch work itself.
            JobLog.HistoryFailed(_logger, error, job);
            return -1;
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using Lambda.SharedModel.Jobs;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Lambda.Jobs;

/// <summary>
/// Runs the body of a scheduled job: records its start and end in the job history, retries transient
/// errors with exponential backoff, and raises a fatal error as a Critical alert
/// (<see cref="JobsLogEvents.JobFailed"/>). A failed run is then rethrown, so that Hangfire keeps it
/// in its Failed list with the exception for the dashboard; Hangfire itself never retries it (the
/// jobs carry <c>[AutomaticRetry(Attempts = 0)]</c>): only transient errors are retried, here.
/// </summary>
internal sealed class JobRunner
{
    private readonly IJobHistoryStore _history;
    private readonly IRunLock _runLock;
    private readonly SchedulerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _retries;

    public JobRunner(IJobHistoryStore history, IRunLock runLock, SchedulerOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        _history = history;
        _runLock = runLock;
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

    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Task, byte> _running = new();

    /// <summary>
    /// The token runs see: cancelled only by <see cref="DrainAsync"/> once its grace period is over.
    /// Hangfire's own job token is cancelled as soon as its server stops, which would cut short runs
    /// that a stop should let finish.
    /// </summary>
    public CancellationToken Stopping => _stop.Token;

    /// <summary>Waits for the runs in progress to end; past <paramref name="grace"/> cancels them and waits for that.</summary>
    public async Task DrainAsync(TimeSpan grace)
    {
        var running = Task.WhenAll(_running.Keys);
        try
        {
            await running.WaitAsync(grace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A failed run is recorded by the run itself; draining only waits.
        }

        await Task.WhenAll(_running.Keys).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="body"/> (which returns the rows it produced) as one recorded run of
    /// <paramref name="job"/>, started for <paramref name="trigger"/> (one of <see cref="TriggerKinds"/>).
    /// </summary>
    public async Task RunAsync(string job, string trigger, Func<CancellationToken, Task<long>> body)
    {
        var run = RunTrackedAsync(job, trigger, body, _stop.Token);
        _running.TryAdd(run, 0);
        try
        {
            await run.ConfigureAwait(false);
        }
        finally
        {
            _running.TryRemove(run, out _);
        }
    }

    private async Task RunTrackedAsync(string job, string trigger, Func<CancellationToken, Task<long>> body, CancellationToken cancellationToken)
    {
        // Held from before the start is recorded until after the end is: runs of one job never overlap in the history either.
        await using var held = await _runLock.AcquireAsync(job, cancellationToken).ConfigureAwait(false);
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
        catch (Exception error)
        {
            var message = $"{error.GetType().Name}: {error.Message}";
            await End(runId, JobOutcomes.Failed, 0, attempts, message).ConfigureAwait(false);
            JobLog.Failed(_logger, error, job, attempts, runId, message);
            throw;
        }

        async Task End(long id, string outcome, long rows, int tries, string? error)
        {
            JobMeter.Ended(job, outcome, stopwatch.Elapsed, rows);
            await RecordAsync(job, async () =>
            {
                await _history.RecordEndAsync(id, _time.GetUtcNow(), outcome, rows, tries, error, CancellationToken.None).ConfigureAwait(false);
                return id;
            }).ConfigureAwait(false);
        }
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

using Hangfire;
using Hangfire.Server;

namespace Lambda.Jobs.Scheduled;

/// <summary>
/// What every scheduled job shares: the method Hangfire invokes, the trigger kind read from the run,
/// and no Hangfire retries: <see cref="JobRunner"/> retries transient errors within the run (and keeps
/// two runs of a job from overlapping), and a failed run stays failed, in the history and on the dashboard.
/// </summary>
public abstract class ScheduledJob
{
    private protected ScheduledJob(JobRunner runner) => Runner = runner;

    private protected JobRunner Runner { get; }

    /// <summary>
    /// The method Hangfire invokes; it fills <paramref name="context"/> itself (jobs are stored as a call
    /// with it empty). The run's cancellation is the scheduler's stop (<see cref="JobRunner.Stopping"/>).
    /// </summary>
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public Task RunAsync(PerformContext? context) =>
        Runner.RunAsync(NameOf(GetType())!, context?.GetJobParameter<string>(TriggerKinds.JobParameter) ?? TriggerKinds.Manual, BodyAsync);

    /// <summary>The job name (in the history and on the dashboard) of a job class; null for another type.</summary>
    internal static string? NameOf(Type type) =>
        type == typeof(HourlyArchiveJob) ? JobNames.Archive
        : type == typeof(NightlyRecomputeJob) ? JobNames.Recompute
        : type == typeof(SpeedRetentionJob) ? JobNames.SpeedRetention
        : null;

    /// <summary>The work; returns the rows it produced.</summary>
    private protected abstract Task<long> BodyAsync(CancellationToken cancellationToken);
}

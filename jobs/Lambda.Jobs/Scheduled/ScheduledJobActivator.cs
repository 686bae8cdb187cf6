using Hangfire;
using Lambda.SharedModel.Views;
using Microsoft.Extensions.Logging;

namespace Lambda.Jobs.Scheduled;

/// <summary>Builds the job objects Hangfire runs, over this scheduler's batch layer and stores.</summary>
internal sealed class ScheduledJobActivator(JobRunner runner, IBatchOperations batch, IViewStore views, SchedulerOptions options,
    ILoggerFactory loggers) : JobActivator
{
    public override object ActivateJob(Type jobType) =>
        jobType == typeof(HourlyArchiveJob) ? new HourlyArchiveJob(runner, batch)
        : jobType == typeof(NightlyRecomputeJob) ? new NightlyRecomputeJob(runner, batch)
        : jobType == typeof(SpeedRetentionJob) ? new SpeedRetentionJob(runner, views, options, loggers)
        : throw new InvalidOperationException($"{jobType} is not one of the scheduler's jobs");
}

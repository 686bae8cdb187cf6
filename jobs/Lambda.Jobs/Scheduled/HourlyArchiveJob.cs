using Quartz;

namespace Lambda.Jobs.Scheduled;

/// <summary>The hourly archive of the log into the master dataset.</summary>
[DisallowConcurrentExecution]
internal sealed class HourlyArchiveJob(JobRunner runner, IBatchOperations batch) : IJob
{
    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        runner.RunAsync(JobNames.Archive, context, batch.ArchiveAsync, cancellationToken);
}

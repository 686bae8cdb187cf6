using Lambda.SharedModel.Views;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Lambda.Jobs.Scheduled;

/// <summary>
/// Deletes speed rows older than the batch watermark W minus the grace period: the batch view has
/// covered them exactly for that long. Without a batch version nothing is deleted, so the merge
/// never loses buckets that only the speed layer has.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class SpeedRetentionJob(JobRunner runner, IViewStore views, SchedulerOptions options, ILoggerFactory loggers) : IJob
{
    private readonly ILogger _logger = loggers.CreateLogger("Lambda.Jobs");

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        runner.RunAsync(JobNames.SpeedRetention, context, DeleteAsync, cancellationToken);

    private async Task<long> DeleteAsync(CancellationToken cancellationToken)
    {
        var current = await views.GetCurrentBatchVersionAsync(cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            JobLog.RetentionNoBatch(_logger);
            return 0;
        }

        var cutoff = current.WatermarkMs - (long)options.RetentionGrace.TotalMilliseconds;
        var deleted = await views.DeleteSpeedRowsBeforeAsync(cutoff, cancellationToken).ConfigureAwait(false);
        JobLog.RetentionDeleted(_logger, deleted, DateTimeOffset.FromUnixTimeMilliseconds(cutoff),
            DateTimeOffset.FromUnixTimeMilliseconds(current.WatermarkMs), options.RetentionGrace);
        return deleted;
    }
}

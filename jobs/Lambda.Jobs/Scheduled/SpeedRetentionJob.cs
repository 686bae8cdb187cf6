using Lambda.SharedModel.Views;
using Microsoft.Extensions.Logging;

namespace Lambda.Jobs.Scheduled;

/// <summary>
/// Deletes speed rows older than the batch watermark W minus the grace period: the batch view has
/// covered them exactly for that long. Without a batch version nothing is deleted, so the merge
/// never loses buckets that only the speed layer has.
/// </summary>
public sealed class SpeedRetentionJob : ScheduledJob
{
    private readonly IViewStore _views;
    private readonly SchedulerOptions _options;
    private readonly ILogger _logger;

    internal SpeedRetentionJob(JobRunner runner, IViewStore views, SchedulerOptions options, ILoggerFactory loggers)
        : base(runner)
    {
        _views = views;
        _options = options;
        _logger = loggers.CreateLogger("Lambda.Jobs");
    }

    private protected override async Task<long> BodyAsync(CancellationToken cancellationToken)
    {
        var current = await _views.GetCurrentBatchVersionAsync(cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            JobLog.RetentionNoBatch(_logger);
            return 0;
        }

        var cutoff = current.WatermarkMs - (long)_options.RetentionGrace.TotalMilliseconds;
        var deleted = await _views.DeleteSpeedRowsBeforeAsync(cutoff, cancellationToken).ConfigureAwait(false);
        JobLog.RetentionDeleted(_logger, deleted, DateTimeOffset.FromUnixTimeMilliseconds(cutoff),
            DateTimeOffset.FromUnixTimeMilliseconds(current.WatermarkMs), _options.RetentionGrace);
        return deleted;
    }
}

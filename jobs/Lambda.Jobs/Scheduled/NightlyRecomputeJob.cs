using Quartz;

namespace Lambda.Jobs.Scheduled;

/// <summary>The nightly recompute: archives what is new first, so the batch view covers the day just ended.</summary>
[DisallowConcurrentExecution]
internal sealed class NightlyRecomputeJob(JobRunner runner, IBatchOperations batch) : IJob
{
    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        runner.RunAsync(JobNames.Recompute, context, async ct =>
        {
            await batch.ArchiveAsync(ct).ConfigureAwait(false);
            return await batch.RecomputeAsync(full: false, ct).ConfigureAwait(false);
        }, cancellationToken);
}

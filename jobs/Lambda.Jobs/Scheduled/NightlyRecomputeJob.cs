namespace Lambda.Jobs.Scheduled;

/// <summary>The nightly recompute: archives what is new first, so the batch view covers the day just ended.</summary>
public sealed class NightlyRecomputeJob : ScheduledJob
{
    private readonly IBatchOperations _batch;

    internal NightlyRecomputeJob(JobRunner runner, IBatchOperations batch)
        : base(runner) => _batch = batch;

    private protected override async Task<long> BodyAsync(CancellationToken cancellationToken)
    {
        await _batch.ArchiveAsync(cancellationToken).ConfigureAwait(false);
        return await _batch.RecomputeAsync(full: false, cancellationToken).ConfigureAwait(false);
    }
}

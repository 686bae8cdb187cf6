namespace Lambda.Batch.Backfill;

/// <summary>
/// The batch recompute, called by <see cref="BackfillJob"/> once the rebuilt master dataset is in place.
/// It finds the dates to recompute itself, through <see cref="Master.ArchiveManifest.DatesDirtiedSince"/>.
/// </summary>
public interface IRecompute
{
    Task RecomputeAsync(CancellationToken cancellationToken);
}

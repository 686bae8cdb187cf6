namespace Lambda.Jobs;

/// <summary>
/// What the scheduler asks of the batch layer. The host wires it to the batch layer's archive and
/// recompute; each returns the rows it produced (records archived, batch view rows written).
/// </summary>
public interface IBatchOperations
{
    /// <summary>Archives what is new in the event log into the master dataset.</summary>
    Task<long> ArchiveAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Recomputes the batch view from the master dataset and makes it current: only the dates the
    /// archive dirtied, or every date when <paramref name="full"/>.
    /// </summary>
    Task<long> RecomputeAsync(bool full, CancellationToken cancellationToken);
}

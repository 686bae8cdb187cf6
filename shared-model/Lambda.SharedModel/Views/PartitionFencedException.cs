namespace Lambda.SharedModel.Views;

/// <summary>
/// A speed-partition write was refused because another owner has claimed the partition since
/// the writer did (see <see cref="IViewStore.ClaimSpeedPartitionAsync"/>): nothing of the write
/// was applied. The writer no longer owns the partition and must drop it.
/// </summary>
public sealed class PartitionFencedException(int partition, long epoch, long currentEpoch)
    : Exception($"speed partition {partition} is owned under epoch {currentEpoch}; a write under epoch {epoch} was refused")
{
    /// <summary>The partition written.</summary>
    public int Partition { get; } = partition;

    /// <summary>The owner epoch the writer holds.</summary>
    public long Epoch { get; } = epoch;

    /// <summary>The partition's current owner epoch (0 if it was never claimed).</summary>
    public long CurrentEpoch { get; } = currentEpoch;
}

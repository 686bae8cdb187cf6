namespace Lambda.Batch.Drift;

/// <summary>A speed partition's own totals since its state began (from its status), for what rows cannot show.</summary>
/// <param name="Unattributed">Views and clicks whose ad the speed layer never learned within its join horizon.</param>
public sealed record PartitionCounters(int Partition, long Late, long Unattributed, long Duplicates, long BotFiltered);

namespace Lambda.Batch.Recompute;

/// <summary>One Parquet file of the master dataset: a topic, an event date and a log offset range [from, to).</summary>
/// <param name="RelativePath">The path under the master root with '/' separators, e.g. <c>ad-served/date=2025-01-01/p0-…parquet</c>; it identifies the file across runs.</param>
public sealed record MasterFile(string Topic, DateOnly Date, int Partition, long FromOffset, long ToOffset, string RelativePath, string FullPath);

namespace Lambda.Serving.Api;

/// <summary>The speed layer's part of <see cref="ServingStatus"/>.</summary>
public sealed record SpeedStatus(IReadOnlyList<PartitionStatus> Partitions);

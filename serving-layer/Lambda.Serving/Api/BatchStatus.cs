namespace Lambda.Serving.Api;

/// <summary>The batch layer's part of <see cref="ServingStatus"/>: the current version, or nulls before the first run.</summary>
public sealed record BatchStatus(long? CurrentVersion, DateTime? Watermark, DateTime? CreatedAt);

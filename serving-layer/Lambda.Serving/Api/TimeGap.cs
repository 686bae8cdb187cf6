namespace Lambda.Serving.Api;

/// <summary>A half-open range [From, To) of consecutive missing buckets.</summary>
public sealed record TimeGap(DateTime From, DateTime To);

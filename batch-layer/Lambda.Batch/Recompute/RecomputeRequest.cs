namespace Lambda.Batch.Recompute;

/// <summary>What one recompute run should do.</summary>
/// <param name="Full">Recompute every complete date from the master dataset, ignoring the previous version.</param>
/// <param name="Dates">Dates to recompute even if nothing new touched them (besides those new data made dirty).</param>
public sealed record RecomputeRequest(bool Full = false, IReadOnlyList<DateOnly>? Dates = null);

namespace Lambda.Batch.Recompute;

/// <summary>What a recompute run did.</summary>
/// <param name="VersionId">The version made (or attempted, when validation failed); null when there was nothing to do.</param>
/// <param name="WatermarkMs">W of that version.</param>
/// <param name="RecomputedDates">Dates computed from the master dataset.</param>
/// <param name="CopiedDates">Dates copied unchanged from the base version.</param>
/// <param name="Problems">Why validation failed; empty otherwise.</param>
public sealed record RecomputeResult(
    RecomputeOutcome Outcome,
    long? VersionId,
    long? WatermarkMs,
    long? BaseVersionId,
    IReadOnlyList<DateOnly> RecomputedDates,
    IReadOnlyList<DateOnly> CopiedDates,
    long Rows,
    IReadOnlyList<string> Problems);

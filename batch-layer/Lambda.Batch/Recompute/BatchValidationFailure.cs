namespace Lambda.Batch.Recompute;

/// <summary><c>batch/failures/v&lt;N&gt;.json</c>: a version that failed validation and was never made current.</summary>
public sealed record BatchValidationFailure(
    long VersionId,
    long WatermarkMs,
    DateTimeOffset FailedAt,
    long? BaseVersionId,
    IReadOnlyList<DateOnly> RecomputedDates,
    IReadOnlyList<string> Problems);

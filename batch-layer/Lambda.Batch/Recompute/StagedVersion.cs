namespace Lambda.Batch.Recompute;

/// <summary>A version's validated files in <c>batch/tmp/v&lt;N&gt;/</c>, not yet published; or why validation refused them.</summary>
/// <param name="Directory">The staging folder (already deleted when there are problems).</param>
/// <param name="Days">Every complete day's totals, computed or copied, in date order.</param>
/// <param name="Problems">Why validation failed; empty otherwise.</param>
internal sealed record StagedVersion(
    long VersionId,
    string Directory,
    IReadOnlyList<DayTotals> Days,
    IReadOnlyList<string> Problems,
    long MinuteRows,
    long HourRows,
    long DayRows)
{
    /// <summary>The rows of all three files: what the store must hold once loaded.</summary>
    public long Rows => MinuteRows + HourRows + DayRows;
}

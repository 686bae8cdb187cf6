namespace Lambda.SharedModel.Views;

/// <summary>
/// A batch view version. <see cref="WatermarkMs"/> is the batch watermark W: all event time before
/// it is covered exactly by this version. Offsets covered are kept as JSON so the store needs no
/// schema change when partitions are added.
/// </summary>
public sealed record BatchVersionInfo(
    long VersionId,
    long WatermarkMs,
    DateTimeOffset CreatedAt,
    string CoveredOffsetsJson,
    long RowCount,
    string State);

/// <summary>States of a batch version in the store.</summary>
public static class BatchVersionStates
{
    /// <summary>Being loaded; never visible to readers.</summary>
    public const string Loading = "loading";
    /// <summary>Loaded and validated; may be made current.</summary>
    public const string Ready = "ready";
}

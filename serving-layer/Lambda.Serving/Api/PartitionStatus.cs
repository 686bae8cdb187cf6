using Lambda.SharedModel.Views;

namespace Lambda.Serving.Api;

/// <summary>
/// <see cref="SpeedPartitionStatus"/> as JSON, plus <see cref="Watermark"/> as ISO-8601 (null when the
/// partition has no watermark yet).
/// </summary>
public sealed record PartitionStatus(
    int Partition,
    string Owner,
    long WatermarkMs,
    DateTime? Watermark,
    long Lag,
    double EventsPerSecond,
    long Processed,
    long BotFiltered,
    long Late,
    long Unattributed,
    long Duplicates,
    long DeadLettered,
    DateTime UpdatedAt)
{
    /// <summary>The JSON view of a stored status.</summary>
    public static PartitionStatus From(SpeedPartitionStatus s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(s.Partition, s.Owner, s.WatermarkMs, ApiTime.FromMsOrNull(s.WatermarkMs), s.Lag, s.EventsPerSecond,
            s.Processed, s.BotFiltered, s.Late, s.Unattributed, s.Duplicates, s.DeadLettered, s.UpdatedAt.UtcDateTime);
    }
}

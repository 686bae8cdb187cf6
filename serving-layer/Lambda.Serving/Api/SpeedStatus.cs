using System.Text.Json.Serialization;
using Lambda.SharedModel.Views;

namespace Lambda.Serving.Api;

/// <summary>
/// The speed layer's part of <see cref="ServingStatus"/>: its freshness over all partitions (the lowest
/// watermark, the oldest report, the summed lag: what every metrics answer's <c>freshness</c> says too)
/// and, for admin keys only, each partition with its owner (host and process id) and counters.
/// </summary>
public sealed record SpeedStatus(
    DateTime? Watermark,
    DateTime? UpdatedAt,
    long Lag,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<PartitionStatus>? Partitions)
{
    /// <summary>The summary of <paramref name="partitions"/>, with them listed if <paramref name="listPartitions"/>.</summary>
    public static SpeedStatus Of(IReadOnlyList<SpeedPartitionStatus> partitions, bool listPartitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        long? watermark = null;
        DateTimeOffset? updatedAt = null;
        long lag = 0;
        foreach (var p in partitions)
        {
            if (p.WatermarkMs is not (long.MinValue or long.MaxValue))
            {
                watermark = watermark is { } w ? Math.Min(w, p.WatermarkMs) : p.WatermarkMs;
            }
            updatedAt = updatedAt is { } u && u <= p.UpdatedAt ? u : p.UpdatedAt;
            lag += p.Lag;
        }
        return new SpeedStatus(
            watermark is { } wm ? ApiTime.FromMs(wm) : null,
            updatedAt?.UtcDateTime,
            lag,
            listPartitions ? partitions.Select(PartitionStatus.From).ToArray() : null);
    }
}

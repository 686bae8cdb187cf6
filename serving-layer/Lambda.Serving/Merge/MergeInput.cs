using Lambda.SharedModel.Time;
using Lambda.SharedModel.Views;

namespace Lambda.Serving.Merge;

/// <summary>What <see cref="BucketMerger"/> merges: one campaign's rows around the batch watermark.</summary>
/// <param name="FromMs">Start of the range; widened down to a bucket start.</param>
/// <param name="ToMs">End of the range, exclusive; widened up to a bucket end.</param>
/// <param name="Version">The current batch version (its watermark is W), or null before the first batch run.</param>
/// <param name="BatchRows">Batch rows at <paramref name="Granularity"/>; only buckets that end by W are used.</param>
/// <param name="StraddleMinuteRows">Batch minute rows of the bucket that straddles W, before W (empty if none).</param>
/// <param name="SpeedRows">Speed minute rows of any partitions; only minutes from W on are used.</param>
/// <param name="SpeedFloorMs">The oldest speed bucket retained by the store (any campaign); null if there is none.</param>
public sealed record MergeInput(
    long FromMs,
    long ToMs,
    Granularity Granularity,
    BatchVersionInfo? Version,
    IReadOnlyList<BatchViewRow> BatchRows,
    IReadOnlyList<BatchViewRow> StraddleMinuteRows,
    IReadOnlyList<SpeedViewRow> SpeedRows,
    long? SpeedFloorMs)
{
    /// <summary>
    /// W rounded down to a minute: the merge's cut. Minutes before it come from batch; the minute holding
    /// a W that is not minute-aligned comes from speed, because a speed row cannot be split.
    /// </summary>
    public long CutMs => Version is null ? long.MinValue : TimeBucket.Floor(Version.WatermarkMs, Granularity.Minute).StartMs;

    /// <summary>The first bucket start of the widened range.</summary>
    public long AlignedFromMs => TimeBucket.Floor(FromMs, Granularity).StartMs;

    /// <summary>The end of the widened range: <see cref="ToMs"/> rounded up to a bucket end.</summary>
    public long AlignedToMs
    {
        get
        {
            var floor = TimeBucket.Floor(ToMs, Granularity).StartMs;
            return floor == ToMs ? ToMs : floor + Granularity.LengthMs();
        }
    }

    /// <summary>
    /// The start of the bucket that straddles the cut (starts before it, ends after it), or null when the
    /// cut falls on a bucket boundary or there is no batch version.
    /// </summary>
    public long? StraddleStartMs
    {
        get
        {
            if (Version is null)
            {
                return null;
            }
            var start = TimeBucket.Floor(CutMs, Granularity).StartMs;
            return start == CutMs ? null : start;
        }
    }
}

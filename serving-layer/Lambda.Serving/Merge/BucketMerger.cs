using Lambda.Serving.Api;
using Lambda.SharedModel.Sketches;
using Lambda.SharedModel.Time;
using Lambda.SharedModel.Views;

namespace Lambda.Serving.Merge;

/// <summary>
/// The merge rule, as a pure function of the rows read. With C = W rounded down to a minute:
/// <list type="bullet">
/// <item>a bucket that ends by C is <b>batch</b>: the batch row, or a real zero if there is none (the version covers all time before W);</item>
/// <item>a bucket that starts before C and ends after it (an hour or day holding W) takes the batch minutes before C plus the speed minutes from C on;</item>
/// <item>any other bucket is <b>speed</b>: the speed minutes in it, summed over partitions, sketches unioned.</item>
/// </list>
/// A bucket that needs speed minutes from some time T on is <b>missing</b> unless the speed view is
/// complete from T: the oldest speed bucket the store retains is at or before T (speed rows only
/// disappear from the oldest end, by retention). No batch minute is ever added to a speed minute.
/// </summary>
public static class BucketMerger
{
    /// <summary>Merges <paramref name="input"/> into one row per bucket of the widened range.</summary>
    public static MergedMetrics Merge(MergeInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var length = input.Granularity.LengthMs();
        var from = input.AlignedFromMs;
        var to = input.AlignedToMs;
        var count = checked((int)((to - from) / length));
        var cut = input.CutMs;
        var sources = new BucketSource[count];
        var counts = new MetricCounts[count];
        var exactUniques = new long[count];
        var sketches = new HyperLogLog?[count];
        var batchSketches = new byte[]?[count];

        for (var i = 0; i < count; i++)
        {
            var start = from + (i * length);
            if (start + length <= cut)
            {
                sources[i] = BucketSource.Batch;
                continue;
            }
            var speedFrom = Math.Max(start, cut);
            sources[i] = input.SpeedFloorMs is { } floor && floor <= speedFrom ? BucketSource.Speed : BucketSource.Missing;
        }

        foreach (var row in input.BatchRows)
        {
            if (IndexOf(row.BucketStartMs, from, to, length) is { } i && sources[i] == BucketSource.Batch
                && row.BucketStartMs == from + (i * length))
            {
                counts[i] += row.Counts;
                exactUniques[i] += row.Uniques;
                batchSketches[i] = row.UniquesSketch;
            }
        }

        if (input.StraddleStartMs is { } straddle && IndexOf(straddle, from, to, length) is { } s && sources[s] == BucketSource.Speed)
        {
            foreach (var row in input.StraddleMinuteRows)
            {
                if (row.BucketStartMs >= straddle && row.BucketStartMs < cut)
                {
                    counts[s] += row.Counts;
                    sketches[s] = Union(sketches[s], row.UniquesSketch);
                }
            }
        }

        foreach (var row in input.SpeedRows)
        {
            if (row.BucketStartMs >= cut && IndexOf(row.BucketStartMs, from, to, length) is { } i && sources[i] == BucketSource.Speed)
            {
                counts[i] += row.Counts;
                sketches[i] = Union(sketches[i], row.UniquesSketch);
            }
        }

        return Assemble(from, length, sources, counts, exactUniques, sketches, batchSketches);
    }

    private static MergedMetrics Assemble(long from, long length, BucketSource[] sources, MetricCounts[] counts,
        long[] exactUniques, HyperLogLog?[] sketches, byte[]?[] batchSketches)
    {
        var rows = new MetricsRow[sources.Length];
        var gaps = new List<TimeGap>();
        var total = default(MetricCounts);
        HyperLogLog? union = null;
        var included = 0;
        var lastIncluded = -1;
        var anyApproximate = false;
        long? gapStart = null;
        for (var i = 0; i < sources.Length; i++)
        {
            var start = from + (i * length);
            var source = sources[i];
            if (source == BucketSource.Missing)
            {
                gapStart ??= start;
                anyApproximate = true;
                rows[i] = Row(start, source, default, 0, 0);
                continue;
            }
            if (gapStart is { } gap)
            {
                gaps.Add(new TimeGap(ApiTime.FromMs(gap), ApiTime.FromMs(start)));
                gapStart = null;
            }

            included++;
            lastIncluded = i;
            total += counts[i];
            if (source == BucketSource.Batch)
            {
                rows[i] = Row(start, source, counts[i], exactUniques[i], 0);
                union = Union(union, batchSketches[i]);
            }
            else
            {
                anyApproximate = true;
                var estimate = sketches[i]?.Estimate() ?? 0;
                rows[i] = Row(start, source, counts[i], estimate, ErrorOf(estimate));
                if (sketches[i] is { } sketch)
                {
                    union ??= new HyperLogLog();
                    union.Merge(sketch);
                }
            }
        }
        if (gapStart is { } openGap)
        {
            gaps.Add(new TimeGap(ApiTime.FromMs(openGap), ApiTime.FromMs(from + (sources.Length * length))));
        }

        long uniques;
        long uniquesError;
        if (included == 1 && sources[lastIncluded] == BucketSource.Batch)
        {
            // One batch bucket: its exact count is the range's.
            uniques = exactUniques[lastIncluded];
            uniquesError = 0;
        }
        else
        {
            uniques = union?.Estimate() ?? 0;
            uniquesError = ErrorOf(uniques);
            anyApproximate |= included > 1;
        }

        var totals = new MetricsTotals(total.Impressions, total.Views, total.Clicks, total.SpendMicros,
            Ctr(total), uniques, uniquesError, total.BotFiltered, total.Late, total.Unattributed, total.Duplicates, anyApproximate);
        return new MergedMetrics(rows, totals, gaps);
    }

    /// <summary>One standard error of a HyperLogLog estimate, rounded to a whole user.</summary>
    public static long ErrorOf(long estimate) => (long)Math.Round(HyperLogLog.StandardError * estimate, MidpointRounding.AwayFromZero);

    /// <summary>Clicks per impression; 0 without impressions.</summary>
    public static double Ctr(in MetricCounts counts) => counts.Impressions == 0 ? 0 : (double)counts.Clicks / counts.Impressions;

    private static MetricsRow Row(long start, BucketSource source, in MetricCounts c, long uniques, long error) => new(
        ApiTime.FromMs(start), source, source != BucketSource.Batch, c.Impressions, c.Views, c.Clicks, c.SpendMicros,
        Ctr(c), uniques, error, c.BotFiltered, c.Late, c.Unattributed, c.Duplicates);

    private static int? IndexOf(long startMs, long from, long to, long length) =>
        startMs >= from && startMs < to ? (int)((startMs - from) / length) : null;

    private static HyperLogLog? Union(HyperLogLog? into, byte[]? sketch)
    {
        // An empty byte array is a row without users (nothing to add), not a corrupt sketch.
        if (sketch is null || sketch.Length == 0)
        {
            return into;
        }
        var other = HyperLogLog.FromBytes(sketch);
        if (into is null)
        {
            return other;
        }
        into.Merge(other);
        return into;
    }
}

using Lambda.Serving.Merge;
using Lambda.SharedModel.Time;
using Lambda.SharedModel.Views;

namespace Lambda.Serving.Tests.Merge;

/// <summary>
/// A random world of one campaign over three days: batch minute rows before the cut (and the batch
/// hour and day rows aggregated from them, the straddling one included, as the batch layer writes
/// them), speed minute rows over the whole window in 1-3 partitions (overlapping the batch on
/// purpose), and an exact model of what each bucket must hold.
/// </summary>
internal sealed class MergeScenario
{
    public const long T0 = 1_795_392_000_000; // 2026-11-23T00:00:00Z, a day start
    public const int WindowMinutes = 3 * 1440;
    private const long M = Granularities.MinuteMs;

    private readonly Dictionary<long, MetricCounts> _batchMinutes = [];
    private readonly Dictionary<long, MetricCounts> _speedMinutes = [];

    public MergeScenario(int seed, long? watermarkMs, long fromMs, long toMs, Granularity granularity, long? speedFloorMs)
    {
        var random = new Random(seed);
        var version = watermarkMs is { } w ? new BatchVersionInfo(7, w, DateTimeOffset.UnixEpoch, "{}", 0, BatchVersionStates.Ready) : null;
        var cut = watermarkMs is { } wm ? TimeBucket.Floor(wm, Granularity.Minute).StartMs : long.MinValue;
        var batchMinuteRows = new List<BatchViewRow>();
        var speedRows = new List<SpeedViewRow>();
        for (var minute = 0; minute < WindowMinutes; minute++)
        {
            var start = T0 + (minute * M);
            if (start < cut && random.Next(3) == 0)
            {
                // Batch values are >= 1000 and speed values < 1000: a bucket that mixed both for one minute could not hit the model.
                var counts = Counts(1000 + random.Next(1000));
                _batchMinutes[start] = counts;
                batchMinuteRows.Add(new BatchViewRow("c", "minute", start, counts, counts.Views, []));
            }
            if (random.Next(3) == 0)
            {
                var partitions = random.Next(1, 4);
                for (var p = 0; p < partitions; p++)
                {
                    var counts = Counts(random.Next(1, 1000));
                    _speedMinutes[start] = _speedMinutes.GetValueOrDefault(start) + counts;
                    speedRows.Add(new SpeedViewRow("c", start, p, counts, [], false));
                }
            }
        }

        var batchRows = granularity == Granularity.Minute ? batchMinuteRows : RollUp(batchMinuteRows, granularity);
        var input = new MergeInput(fromMs, toMs, granularity, version, batchRows, [], speedRows, speedFloorMs);
        var straddle = input.StraddleStartMs is { } s ? batchMinuteRows.Where(r => r.BucketStartMs >= s && r.BucketStartMs < cut).ToArray() : [];
        Input = input with { StraddleMinuteRows = straddle };
        Cut = cut;
    }

    public MergeInput Input { get; }

    /// <summary>W rounded down to a minute; long.MinValue without a version.</summary>
    public long Cut { get; }

    /// <summary>What a bucket must hold: batch minutes before the cut plus speed minutes from it.</summary>
    public MetricCounts Expected(long bucketStartMs, long bucketEndMs)
    {
        var sum = default(MetricCounts);
        for (var m = bucketStartMs; m < bucketEndMs; m += M)
        {
            sum += m < Cut ? _batchMinutes.GetValueOrDefault(m) : _speedMinutes.GetValueOrDefault(m);
        }
        return sum;
    }

    public static MetricCounts Counts(long n) => new(n, n * 2, n % 7, n * 1000, n % 3, n % 5, n % 11, n % 13);

    private static List<BatchViewRow> RollUp(List<BatchViewRow> minutes, Granularity granularity) =>
        minutes.GroupBy(r => TimeBucket.Floor(r.BucketStartMs, granularity).StartMs)
            .Select(g => new BatchViewRow("c", granularity.Name(), g.Key, g.Aggregate(default(MetricCounts), (a, r) => a + r.Counts), g.Count(), []))
            .ToList();
}

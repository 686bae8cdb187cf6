using FsCheck;
using FsCheck.Fluent;
using Lambda.Serving.Api;
using Lambda.Serving.Merge;
using Lambda.SharedModel.Time;
using Lambda.SharedModel.Views;

namespace Lambda.Serving.Tests.Merge;

public class MergePropertyTests
{
    private const long M = Granularities.MinuteMs;
    private static readonly Config Checks = Config.QuickThrowOnFailure.WithMaxTest(120);

    private static readonly Gen<Granularity> Granularities_ = Gen.Elements(Granularity.Minute, Granularity.Hour, Granularity.Day);

    // W anywhere in the window (often on a boundary, sometimes mid-minute), or no batch version at all.
    private static readonly Gen<long?> Watermarks = Gen.Frequency(
        (1, Gen.Constant<long?>(null)),
        (3, Gen.Choose(0, MergeScenario.WindowMinutes).Select(m => (long?)(MergeScenario.T0 + (m * M)))),
        (1, Gen.Choose(0, MergeScenario.WindowMinutes / 60).Select(h => (long?)(MergeScenario.T0 + (h * Granularities.HourMs)))),
        (1, Gen.Choose(0, MergeScenario.WindowMinutes * 60).Select(s => (long?)(MergeScenario.T0 + (s * 1000L) + 17))));

    private static readonly Gen<(long From, long To)> Ranges =
        from a in Gen.Choose(0, MergeScenario.WindowMinutes - 1)
        from b in Gen.Choose(0, MergeScenario.WindowMinutes - 1)
        from jitter in Gen.Choose(0, 59_999)
        let lo = Math.Min(a, b)
        let hi = Math.Max(a, b) + 1
        select (MergeScenario.T0 + (lo * M) + jitter, MergeScenario.T0 + (hi * M));

    private static readonly Gen<(int Seed, long? W, (long From, long To) Range, Granularity G)> Worlds =
        from seed in Gen.Choose(0, int.MaxValue)
        from w in Watermarks
        from range in Ranges
        from g in Granularities_
        select (seed, w, range, g);

    [Fact]
    public void every_bucket_is_batch_before_the_cut_and_speed_after_and_holds_exactly_one_of_each_minute()
    {
        Prop.ForAll(Arb.From(Worlds), world =>
        {
            // The speed view retains everything: nothing may be missing.
            var scenario = new MergeScenario(world.Seed, world.W, world.Range.From, world.Range.To, world.G, MergeScenario.T0);
            var merged = BucketMerger.Merge(scenario.Input);
            var length = world.G.LengthMs();
            for (var i = 0; i < merged.Rows.Count; i++)
            {
                var start = scenario.Input.AlignedFromMs + (i * length);
                var row = merged.Rows[i];
                var source = start + length <= scenario.Cut ? BucketSource.Batch : BucketSource.Speed;
                if (row.Bucket != ApiTime.FromMs(start) || row.Source != source || row.Approximate != (source != BucketSource.Batch)
                    || Counts(row) != scenario.Expected(start, start + length))
                {
                    return false;
                }
            }
            return merged.Gaps.Count == 0
                && merged.Rows.Count == (scenario.Input.AlignedToMs - scenario.Input.AlignedFromMs) / length
                && TotalsMatch(merged, merged.Rows);
        }).Check(Checks);
    }

    [Fact]
    public void buckets_needing_speed_minutes_older_than_the_retained_floor_are_missing_listed_as_gaps_and_left_out_of_totals()
    {
        var worlds =
            from world in Worlds
            from floorMinute in Gen.Choose(0, MergeScenario.WindowMinutes + 60)
            from none in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
            select (world, none ? (long?)null : MergeScenario.T0 + (floorMinute * M));
        Prop.ForAll(Arb.From(worlds), w =>
        {
            var (world, floor) = w;
            var scenario = new MergeScenario(world.Seed, world.W, world.Range.From, world.Range.To, world.G, floor);
            var merged = BucketMerger.Merge(scenario.Input);
            var length = world.G.LengthMs();
            var missing = new List<long>();
            for (var i = 0; i < merged.Rows.Count; i++)
            {
                var start = scenario.Input.AlignedFromMs + (i * length);
                var row = merged.Rows[i];
                var needsSpeedFrom = Math.Max(start, scenario.Cut);
                var expected = start + length <= scenario.Cut ? BucketSource.Batch
                    : floor is { } f && f <= needsSpeedFrom ? BucketSource.Speed
                    : BucketSource.Missing;
                if (row.Source != expected)
                {
                    return false;
                }
                if (expected == BucketSource.Missing)
                {
                    missing.Add(start);
                    if (Counts(row) != default || !row.Approximate)
                    {
                        return false;
                    }
                }
                else if (Counts(row) != scenario.Expected(start, start + length))
                {
                    return false;
                }
            }
            var gapBuckets = merged.Gaps.SelectMany(g => Enumerable.Range(0, (int)((g.To - g.From).Ticks / TimeSpan.TicksPerMillisecond / length))
                .Select(k => (long)(g.From - DateTime.UnixEpoch).TotalMilliseconds + (k * length))).ToList();
            return gapBuckets.SequenceEqual(missing)
                && TotalsMatch(merged, merged.Rows.Where(r => r.Source != BucketSource.Missing))
                && (missing.Count == 0 || merged.Totals.Approximate);
        }).Check(Checks);
    }

    private static MetricCounts Counts(MetricsRow r) =>
        new(r.Impressions, r.Views, r.Clicks, r.SpendMicros, r.BotFiltered, r.Late, r.Unattributed, r.Duplicates);

    private static bool TotalsMatch(MergedMetrics merged, IEnumerable<MetricsRow> included)
    {
        var sum = included.Aggregate(default(MetricCounts), (a, r) => a + Counts(r));
        var t = merged.Totals;
        return new MetricCounts(t.Impressions, t.Views, t.Clicks, t.SpendMicros, t.BotFiltered, t.Late, t.Unattributed, t.Duplicates) == sum;
    }
}

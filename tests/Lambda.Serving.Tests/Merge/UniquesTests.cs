using Lambda.Serving.Api;
using Lambda.Serving.Merge;
using Lambda.SharedModel.Sketches;
using Lambda.SharedModel.Time;
using Lambda.SharedModel.Views;

namespace Lambda.Serving.Tests.Merge;

public class UniquesTests
{
    private const long H = Granularities.HourMs;
    private const long M = Granularities.MinuteMs;
    private const long T0 = MergeScenario.T0;
    private static readonly BatchVersionInfo Version = new(3, T0 + (2 * H), DateTimeOffset.UnixEpoch, "{}", 0, BatchVersionStates.Ready);

    [Fact]
    public void a_batch_bucket_has_exact_uniques_and_a_speed_bucket_a_sketch_union_with_its_standard_error()
    {
        var input = new MergeInput(T0 + H, T0 + (3 * H), Granularity.Hour, Version,
            [new BatchViewRow("c", "hour", T0 + H, MergeScenario.Counts(5), 1234, Sketches.Users(0, 1200))],
            [],
            // Two partitions of one minute share users 100..199: the union counts them once.
            [
                new SpeedViewRow("c", T0 + (2 * H), 0, MergeScenario.Counts(1), Sketches.Users(0, 200), false),
                new SpeedViewRow("c", T0 + (2 * H), 1, MergeScenario.Counts(2), Sketches.Users(100, 200), false),
            ],
            T0);

        var merged = BucketMerger.Merge(input);

        var batch = merged.Rows[0];
        Assert.Equal((BucketSource.Batch, false, 1234L, 0L), (batch.Source, batch.Approximate, batch.Uniques, batch.UniquesError));
        var speed = merged.Rows[1];
        Assert.Equal(BucketSource.Speed, speed.Source);
        Assert.InRange(speed.Uniques, 290, 310);
        Assert.Equal((long)Math.Round(HyperLogLog.StandardError * speed.Uniques), speed.UniquesError);
        Assert.Equal(3, speed.Impressions);
        // The range's users are users 0..1199 and 0..299: about 1200, from the union of the sketches.
        Assert.InRange(merged.Totals.Uniques, 1150, 1250);
        Assert.True(merged.Totals.UniquesError > 0);
        Assert.True(merged.Totals.Approximate);
    }

    [Fact]
    public void the_totals_of_one_batch_bucket_are_exact()
    {
        var input = new MergeInput(T0, T0 + H, Granularity.Hour, Version,
            [new BatchViewRow("c", "hour", T0, MergeScenario.Counts(5), 42, Sketches.Users(0, 40))], [], [], null);

        var totals = BucketMerger.Merge(input).Totals;

        Assert.Equal((42L, 0L, false), (totals.Uniques, totals.UniquesError, totals.Approximate));
    }

    [Fact]
    public void an_hour_straddling_w_unions_batch_minutes_before_it_with_speed_minutes_after_it()
    {
        var w = T0 + (2 * H) + (30 * M);
        var version = Version with { WatermarkMs = w };
        var input = new MergeInput(T0 + (2 * H), T0 + (3 * H), Granularity.Hour, version,
            // The batch hour row of the straddling hour covers only its first half: it must not be used.
            [new BatchViewRow("c", "hour", T0 + (2 * H), MergeScenario.Counts(999), 999, Sketches.Users(0, 999))],
            [new BatchViewRow("c", "minute", T0 + (2 * H) + (10 * M), MergeScenario.Counts(10), 100, Sketches.Users(0, 100))],
            [
                // Before W: already in the batch minute above, so ignored.
                new SpeedViewRow("c", T0 + (2 * H) + (10 * M), 0, MergeScenario.Counts(7), Sketches.Users(0, 100), true),
                new SpeedViewRow("c", w, 0, MergeScenario.Counts(1), Sketches.Users(50, 100), false),
            ],
            T0);

        var row = Assert.Single(BucketMerger.Merge(input).Rows);

        Assert.Equal((BucketSource.Speed, true, 11L), (row.Source, row.Approximate, row.Impressions));
        Assert.InRange(row.Uniques, 145, 155);
    }
}

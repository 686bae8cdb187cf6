using Lambda.Batch.Recompute;
using Lambda.SharedModel.Time;

namespace Lambda.Batch.Tests.Recompute;

/// <summary>The validation's sums (<see cref="DayRowSpool.Groups"/>) against rows added by hand.</summary>
public sealed class SpoolGroupTests
{
    private static readonly long Jan1 = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public void groups_sum_each_granularity_campaign_and_day_and_count_negative_and_late_rows()
    {
        var spool = new DayRowSpool();
        spool.BeginDay();
        // impressions, views, clicks, spend, bots, duplicates, uniques
        spool.Add(0, 0, Jan1, [2, 1, 0, 500, 1, 0, 2], [1, 2, 3]);
        spool.Add(0, 0, Jan1 + 60_000, [3, 0, 1, 700, 0, 2, 3], []);
        spool.Add(0, 2, Jan1, [1, 0, 0, -5, 0, 0, 1], [9]);
        spool.Add(1, 0, Jan1, [5, 1, 1, 1200, 1, 2, 4], [7, 7]);
        spool.BeginDay();
        spool.Add(0, 0, Jan1 + Granularities.DayMs, [4, 0, 0, 100, 0, 0, 1], []);

        var groups = spool.Groups(watermarkMs: Jan1 + Granularities.DayMs);

        Assert.Equal(4, groups.Count);
        var first = Assert.Single(groups, g => g is { Granularity: 0, Cid: 0 } && g.DayMs == Jan1);
        Assert.Equal((5L, 1L, 1L, 1200L, 1L, 2L, 3L, 2L, 0L, 0L),
            (first.Impressions, first.Views, first.Clicks, first.Spend, first.Bots, first.Duplicates, first.MaxUniques, first.Rows, first.Negative, first.Beyond));
        Assert.Equal(1, Assert.Single(groups, g => g.Cid == 2).Negative);
        Assert.Equal(4, Assert.Single(groups, g => g.Granularity == 1).MaxUniques);
        var late = Assert.Single(groups, g => g.DayMs == Jan1 + Granularities.DayMs);
        Assert.Equal((1L, 1L, 4L), (late.Beyond, late.Rows, late.Impressions));
    }

    [Fact]
    public void a_row_of_another_day_in_a_day_makes_its_own_group()
    {
        var spool = new DayRowSpool();
        spool.BeginDay();
        spool.Add(0, 0, Jan1, [1, 0, 0, 0, 0, 0, 1], []);
        spool.Add(0, 0, Jan1 + Granularities.DayMs + 60_000, [1, 0, 0, 0, 0, 0, 1], []);

        Assert.Equal([Jan1, Jan1 + Granularities.DayMs], spool.Groups(long.MaxValue).Select(g => g.DayMs));
    }
}

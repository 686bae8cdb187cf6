using Lambda.SharedModel.Time;

namespace Lambda.SharedModel.Tests.Time;

public sealed class TimeBucketTests
{
    private const long May1Noon = 1714564800000; // 2024-05-01T12:00:00Z

    [Theory]
    [InlineData(May1Noon + 59_999, Granularity.Minute, May1Noon, May1Noon + 60_000)]
    [InlineData(May1Noon + 60_000, Granularity.Minute, May1Noon + 60_000, May1Noon + 120_000)]
    [InlineData(May1Noon + 3_599_999, Granularity.Hour, May1Noon, May1Noon + 3_600_000)]
    [InlineData(May1Noon, Granularity.Day, May1Noon - (12 * 3_600_000), May1Noon + (12 * 3_600_000))]
    [InlineData(0, Granularity.Day, 0, 86_400_000)]
    [InlineData(-1, Granularity.Minute, -60_000, 0)]
    [InlineData(-86_400_000, Granularity.Day, -86_400_000, 0)]
    public void floor_finds_the_half_open_bucket(long time, Granularity granularity, long start, long end)
    {
        var bucket = TimeBucket.Floor(time, granularity);

        Assert.Equal(start, bucket.StartMs);
        Assert.Equal(end, bucket.EndMs);
        Assert.True(bucket.Contains(time));
        Assert.False(bucket.Contains(end));
    }

    [Fact]
    public void next_and_previous_are_adjacent()
    {
        var bucket = TimeBucket.Floor(May1Noon, Granularity.Hour);

        Assert.Equal(bucket.EndMs, bucket.Next.StartMs);
        Assert.Equal(bucket, bucket.Next.Previous);
        Assert.True(bucket < bucket.Next);
    }

    [Fact]
    public void day_bucket_starts_at_utc_midnight()
    {
        var bucket = TimeBucket.Floor(new DateTimeOffset(2024, 5, 1, 23, 30, 0, TimeSpan.FromHours(-5)), Granularity.Day);

        Assert.Equal(new DateTimeOffset(2024, 5, 2, 0, 0, 0, TimeSpan.Zero), bucket.Start);
        Assert.Equal(new DateTimeOffset(2024, 5, 3, 0, 0, 0, TimeSpan.Zero), bucket.End);
    }

    [Fact]
    public void minute_rolls_up_to_its_hour_and_day()
    {
        var minute = TimeBucket.Floor(May1Noon + (47 * 60_000), Granularity.Minute);

        Assert.Equal(TimeBucket.Floor(May1Noon, Granularity.Hour), minute.RollUp(Granularity.Hour));
        Assert.Equal("2024-05-01T00:00:00Z/day", minute.RollUp(Granularity.Day).ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => minute.RollUp(Granularity.Hour).RollUp(Granularity.Minute));
    }

    [Fact]
    public void range_covers_every_bucket_overlapping_the_interval()
    {
        var buckets = TimeBucket.Range(May1Noon + 30_000, May1Noon + 180_000, Granularity.Minute).ToList();

        Assert.Equal([May1Noon, May1Noon + 60_000, May1Noon + 120_000], buckets.Select(b => b.StartMs));
    }

    [Fact]
    public void format_and_parse_round_trip()
    {
        var bucket = TimeBucket.Floor(May1Noon + (47 * 60_000), Granularity.Minute);

        Assert.Equal("2024-05-01T12:47:00Z", bucket.ToIsoString());
        Assert.Equal("2024-05-01T12:47:00Z/minute", bucket.ToString());
        Assert.Equal(bucket, TimeBucket.Parse(bucket.ToString()));
        Assert.Equal(bucket, TimeBucket.Parse("2024-05-01T14:47:00+02:00", Granularity.Minute));
        Assert.Equal(TimeBucket.Floor(May1Noon, Granularity.Day), TimeBucket.Parse("2024-05-01", Granularity.Day));
        Assert.Equal(TimeBucket.Floor(May1Noon, Granularity.Hour), TimeBucket.Parse("2024-05-01T12:00:00Z/HOUR"));
    }

    [Theory]
    [InlineData("2024-05-01T12:47:30Z", "not the start of a minute bucket (that would be 2024-05-01T12:47:00Z)")]
    [InlineData("yesterday", "is not an ISO-8601 time")]
    public void parsing_a_bad_start_says_why(string text, string because)
    {
        var error = Assert.Throws<FormatException>(() => TimeBucket.Parse(text, Granularity.Minute));

        Assert.Contains(because, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void from_start_refuses_an_unaligned_time()
    {
        Assert.Equal(May1Noon, TimeBucket.FromStart(May1Noon, Granularity.Hour).StartMs);
        Assert.Throws<ArgumentException>(() => TimeBucket.FromStart(May1Noon + 1, Granularity.Hour));
    }

    [Theory]
    [InlineData("minute", Granularity.Minute)]
    [InlineData("Hour", Granularity.Hour)]
    [InlineData(" DAY ", Granularity.Day)]
    public void granularity_names_parse_case_insensitively(string text, Granularity expected)
    {
        Assert.Equal(expected, Granularities.Parse(text));
        Assert.Equal(expected, Granularities.Parse(expected.Name()));
    }

    [Theory]
    [InlineData("week")]
    [InlineData("minutes")]
    [InlineData("")]
    public void unknown_granularity_is_a_clear_error(string text)
    {
        var error = Assert.Throws<FormatException>(() => Granularities.Parse(text));

        Assert.Equal($"unknown granularity '{text}': expected one of minute, hour, day", error.Message);
    }
}

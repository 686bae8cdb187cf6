using Lambda.SharedModel.Views;

namespace Lambda.Store.Tests;

/// <summary>Builders for the rows the contract tests write.</summary>
internal static class ViewRows
{
    public const long Minute = 60_000;

    /// <summary>A minute-aligned instant to start buckets from.</summary>
    public const long T0 = 28_333_333 * Minute;

    public static MetricCounts Counts(long impressions, long clicks = 0) =>
        new(impressions, impressions * 2, clicks, impressions * 1_000, 1, 2, 3, 4);

    public static byte[] Sketch(int seed, int length = 64)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static SpeedViewRow Speed(string campaign, int minute, int partition, long impressions, bool final = false) =>
        new(campaign, T0 + (minute * Minute), partition, Counts(impressions), Sketch(minute * 31 + partition), final);

    public static BatchViewRow Batch(string campaign, int minute, long impressions, long clicks = 0, string granularity = "minute") =>
        new(campaign, granularity, T0 + (minute * Minute), Counts(impressions, clicks), impressions / 2, Sketch(minute));

    public static BatchVersionInfo Version(long id, long watermarkMs = T0) => new(
        id, watermarkMs, new DateTimeOffset(2026, 11, 22, 3, 0, 0, 123, TimeSpan.Zero),
        "{\"ad-served\":{\"0\":" + (id * 10) + "}}", 0, BatchVersionStates.Loading);
}

using System.Globalization;
using System.Text.Json;
using Lambda.Generator;
using Lambda.Generator.Oracle;

namespace Lambda.Generator.Tests;

public sealed class OracleTests
{
    private static readonly GeneratorOptions Options = new()
    {
        Seed = 11,
        Campaigns = 20,
        Users = 5_000,
        EventsPerSecond = 2_000,
        BotShare = 0.05,
        DuplicateRate = 0.03,
        LateFraction = 0.02,
        ViewsBeforeServedShare = 0.1,
        ClickRate = 0.2,
        ComputeOracle = true,
    };

    [Theory]
    [InlineData(150_000)]
    [InlineData(1_234)]
    public void oracle_equals_a_naive_recount_of_the_emitted_json(int records)
    {
        var generator = new TrafficGenerator(Options);
        var emitted = Traffic.Generate(generator, records, batchSize: 500);

        var expected = NaiveRecount(emitted.Select(x => x.Parse()));
        var actual = generator.Oracle!.Buckets()
            .Where(b => b.Impressions + b.Views + b.Clicks > 0)
            .Select(b => (b.CampaignId, b.BucketStartMs, b.Impressions, b.Views, b.Clicks, b.SpendMicros, b.Uniques))
            .ToList();

        Assert.True(expected.Count > 10);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void oracle_counters_match_the_injected_imperfections()
    {
        var generator = new TrafficGenerator(Options);
        var emitted = Traffic.Generate(generator, 100_000).Select(x => x.Event).ToList();
        var totals = generator.Oracle!.Totals();

        Assert.Equal(emitted.Count, totals.Records);
        Assert.Equal(emitted.Count(e => e.IsBot), totals.BotFiltered);
        Assert.Equal(emitted.Count(e => e.IsDuplicate && !e.IsBot), totals.Duplicates);
        Assert.Equal(emitted.Count(e => e.IsLate && !e.IsBot && !e.IsDuplicate), totals.Late);
        Assert.Equal(emitted.Count(e => e.ArrivesBeforeServed && !e.IsBot && !e.IsDuplicate), totals.ViewsBeforeServed);
        Assert.True(totals.Late > 0 && totals.Duplicates > 0 && totals.BotFiltered > 0 && totals.ViewsBeforeServed > 0);
        Assert.Equal(totals.Impressions, generator.Oracle.Buckets().Sum(b => b.Impressions));
    }

    [Fact]
    public void oracle_csv_has_the_documented_header_and_one_line_per_bucket()
    {
        var generator = new TrafficGenerator(Options);
        Traffic.Generate(generator, 30_000);
        var dir = Directory.CreateTempSubdirectory("lambda-oracle-");
        try
        {
            var path = Path.Combine(dir.FullName, "oracle.csv");
            generator.Oracle!.WriteCsv(path);
            var lines = File.ReadAllLines(path);
            var buckets = generator.Oracle.Buckets();

            Assert.Equal("campaign_id,bucket_start_ms,impressions,views,clicks,spend_micros,uniques,bot_filtered,duplicates,late,views_before_served", lines[0]);
            Assert.Equal(buckets.Count + 1, lines.Length);
            var first = lines[1].Split(',');
            Assert.Equal(buckets[0].CampaignId, first[0]);
            Assert.Equal(buckets[0].BucketStartMs, long.Parse(first[1], CultureInfo.InvariantCulture));
            Assert.Equal(buckets[0].SpendMicros, long.Parse(first[5], CultureInfo.InvariantCulture));
            Assert.Equal(buckets[0].Uniques, int.Parse(first[6], CultureInfo.InvariantCulture));
            Assert.Equal(0, buckets[0].BucketStartMs % 60_000);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The metric definitions applied from scratch to the wire records: drop bots (by IP and user agent),
    /// keep the first record of each event_id, map ads to campaigns from served records, then count per
    /// campaign and minute of event time.
    /// </summary>
    private static List<(string, long, long, long, long, long, int)> NaiveRecount(IEnumerable<JsonElement> records)
    {
        string[] botTokens = ["bot", "crawler", "headless"];
        var kept = records
            .Where(r => !r.GetProperty("ip").GetString()!.StartsWith("198.51.100.", StringComparison.Ordinal))
            .Where(r => !botTokens.Any(t => r.GetProperty("user_agent").GetString()!.Contains(t, StringComparison.OrdinalIgnoreCase)))
            .DistinctBy(r => r.GetProperty("event_id").GetString())
            .ToList();
        var campaignOfAd = kept
            .Where(r => r.GetProperty("type").GetString() == "served")
            .GroupBy(r => r.GetProperty("ad_id").GetString()!)
            .ToDictionary(g => g.Key, g => g.First().GetProperty("campaign_id").GetString()!);

        return kept
            .Where(r => campaignOfAd.ContainsKey(r.GetProperty("ad_id").GetString()!))
            .GroupBy(r => (
                Campaign: campaignOfAd[r.GetProperty("ad_id").GetString()!],
                Bucket: r.GetProperty("event_time").GetInt64() / 60_000 * 60_000))
            .Select(g => (
                g.Key.Campaign,
                g.Key.Bucket,
                (long)g.Count(r => r.GetProperty("type").GetString() == "served"),
                (long)g.Count(r => r.GetProperty("type").GetString() == "view"),
                (long)g.Count(r => r.GetProperty("type").GetString() == "click"),
                g.Where(r => r.GetProperty("type").GetString() == "served").Sum(r => r.GetProperty("cost_micros").GetInt64()),
                g.Select(r => r.GetProperty("user_id").GetString()).Distinct().Count()))
            .OrderBy(x => x.Campaign, StringComparer.Ordinal)
            .ThenBy(x => x.Bucket)
            .ToList();
    }
}

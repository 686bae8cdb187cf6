using Lambda.Generator.Oracle;
using Lambda.SharedModel.Sketches;
using Lambda.SharedModel.Views;

namespace Lambda.Speed.Tests;

/// <summary>Assertions on speed view rows shared by the end-to-end tests.</summary>
internal static class SpeedAssert
{
    /// <summary>
    /// The rows, merged over partitions, equal the oracle's exact counts for every (campaign, minute),
    /// with nothing late, duplicated, filtered or unattributed; unique users within 3 standard errors.
    /// </summary>
    public static void MatchesOracle(IReadOnlyList<OracleBucket> oracle, IEnumerable<SpeedViewRow> rows)
    {
        var speedBuckets = rows
            .GroupBy(r => (r.CampaignId, r.BucketStartMs))
            .ToDictionary(g => g.Key, g =>
            {
                var sketch = new HyperLogLog();
                foreach (var r in g)
                {
                    sketch.Merge(HyperLogLog.FromBytes(r.UniquesSketch));
                }

                return (Counts: g.Select(r => r.Counts).Aggregate((a, b) => a + b), Uniques: sketch.Estimate());
            });
        Assert.NotEmpty(oracle);
        Assert.Equal(oracle.Count, speedBuckets.Count);
        foreach (var expected in oracle)
        {
            Assert.True(speedBuckets.TryGetValue((expected.CampaignId, expected.BucketStartMs), out var actual),
                $"no speed row for {expected.CampaignId} at {expected.BucketStartMs}");
            var c = actual.Counts;
            Assert.Equal((expected.Impressions, expected.Views, expected.Clicks, expected.SpendMicros),
                (c.Impressions, c.Views, c.Clicks, c.SpendMicros));
            Assert.Equal((0L, 0L, 0L, 0L), (c.Late, c.Duplicates, c.BotFiltered, c.Unattributed));
            // Unique users are approximate by design: within three standard errors (exact when small).
            Assert.InRange(actual.Uniques, expected.Uniques * (1 - (3 * HyperLogLog.StandardError)) - 1,
                expected.Uniques * (1 + (3 * HyperLogLog.StandardError)) + 1);
        }
    }

    /// <summary>Both sets hold the same rows, value for value (counts, sketch bytes and final flag).</summary>
    public static void SameRows(SortedDictionary<(string, long, int), SpeedViewRow> expected,
        SortedDictionary<(string, long, int), SpeedViewRow> actual)
    {
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (key, row) in expected)
        {
            var other = actual[key];
            Assert.True(row.Counts == other.Counts, $"{key}: expected {row.Counts}, got {other.Counts}");
            Assert.Equal(row.UniquesSketch, other.UniquesSketch);
            Assert.Equal(row.Final, other.Final);
        }
    }
}

using Lambda.SharedModel.Sketches;
using Lambda.SharedModel.Views;
using Lambda.Store.Sqlite;

namespace Lambda.Cli.Tests;

/// <summary>The speed view as the oracle sees it: each (campaign, minute) summed over the partitions that wrote it.</summary>
internal static class SpeedRowSums
{
    /// <summary>Speed rows of <paramref name="campaigns"/> in [from, to): counts added, unique-user sketches merged.</summary>
    public static async Task<Dictionary<(string Campaign, long Bucket), (MetricCounts Counts, HyperLogLog Users)>> ReadAsync(
        SqliteViewStore store, IEnumerable<string> campaigns, long from, long to)
    {
        var speed = new Dictionary<(string, long), (MetricCounts Counts, HyperLogLog Users)>();
        foreach (var campaign in campaigns)
        {
            foreach (var row in await store.ReadSpeedRowsAsync(campaign, from, to))
            {
                var key = (campaign, row.BucketStartMs);
                var sketch = HyperLogLog.FromBytes(row.UniquesSketch);
                if (speed.TryGetValue(key, out var sum))
                {
                    sum.Users.Merge(sketch);
                    speed[key] = (sum.Counts + row.Counts, sum.Users);
                }
                else
                {
                    speed[key] = (row.Counts, sketch);
                }
            }
        }

        return speed;
    }
}

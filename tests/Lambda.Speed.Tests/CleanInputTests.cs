using Lambda.Log.Embedded;
using Lambda.SharedModel.Bots;
using Lambda.SharedModel.Sketches;
using Lambda.Store.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lambda.Speed.Tests;

public class CleanInputTests
{
    [Fact]
    public async Task speed_counts_equal_the_generators_exact_oracle_on_clean_input()
    {
        using var dir = new TempDirectory("lambda-clean");
        const long Records = 60_000;
        var generator = await TrafficFixture.AppendAsync(dir.Path, TrafficFixture.Clean(seed: 11), Records);

        await using (var log = EmbeddedEventLog.Open(new EmbeddedLogOptions { RootPath = Path.Combine(dir.Path, "log") }))
        await using (var store = new SqliteViewStore(Path.Combine(dir.Path, "views.db")))
        {
            await store.InitializeAsync();
            var options = new SpeedOptions
            {
                CheckpointDirectory = Path.Combine(dir.Path, "speed"),
                FlushInterval = TimeSpan.FromMilliseconds(100),
                Workers = 2,
            };
            using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var speed = new SpeedLayer(log, store, BotRules.Default, options, NullLoggerFactory.Instance, TimeProvider.System);
            var running = speed.RunAsync(stop.Token);
            while (await TrafficFixture.ProcessedAsync(dir.Path) < Records && !stop.IsCancellationRequested)
            {
                await Task.Delay(100);
            }

            await stop.CancelAsync();
            await running;
        }

        var rows = await TrafficFixture.ReadAllSpeedRowsAsync(dir.Path);
        var speedBuckets = rows.Values
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
        var oracle = generator.Oracle!.Buckets();
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
}

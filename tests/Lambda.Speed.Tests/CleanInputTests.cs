using Lambda.Log.Embedded;
using Lambda.SharedModel.Bots;
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
        SpeedAssert.MatchesOracle(generator.Oracle!.Buckets(), rows.Values);
    }
}

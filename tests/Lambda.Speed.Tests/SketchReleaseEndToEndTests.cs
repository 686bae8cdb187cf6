using Lambda.Log.Embedded;
using Lambda.SharedModel.Bots;
using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Sketches;
using Lambda.SharedModel.Views;
using Lambda.Store.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lambda.Speed.Tests;

/// <summary>The speed layer on a real log, store and checkpoint directory, with windows whose sketch it releases.</summary>
public sealed class SketchReleaseEndToEndTests : IDisposable
{
    private const int Users = 200;
    private readonly TempDirectory _dir = new("lambda-release");
    private readonly EventEncoder _encoder = new();
    // Ten minutes ago: the events are in the past for the decoder, and the layer's clock.
    private readonly long _minute0 = ((DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 60_000) - 10) * 60_000;

    public void Dispose() => _dir.Dispose();

    private SpeedOptions Options() => new()
    {
        CheckpointDirectory = Path.Combine(_dir.Path, "speed"),
        FlushInterval = TimeSpan.FromMilliseconds(100),
        CheckpointInterval = TimeSpan.FromMilliseconds(200),
        AllowedLateness = TimeSpan.Zero,
        JoinHorizon = TimeSpan.FromMinutes(1),
        Workers = 1,
    };

    [Fact]
    public async Task a_late_event_after_the_sketch_is_released_updates_late_and_the_stored_row_keeps_its_sketch_across_a_restart()
    {
        await using var log = EmbeddedEventLog.Open(new EmbeddedLogOptions { RootPath = Path.Combine(_dir.Path, "log") });
        foreach (var topic in Topics.All)
        {
            await log.CreateTopicAsync(topic, 1);
        }

        await using var store = new SqliteViewStore(Path.Combine(_dir.Path, "views.db"));
        await store.InitializeAsync();
        await ServeAsync(log, Enumerable.Range(0, Users).Select(u => ($"u{u}", _minute0 + u)).Append(("mover", _minute0 + (5 * 60_000))));
        SpeedViewRow? stored = null;

        await WithLayerAsync(log, store, async layer =>
        {
            // Released once its final row is in the store and a checkpoint followed: only minute 5's window holds a sketch.
            await UntilAsync(() => Task.FromResult(layer.StateSize is { Windows: 2, WindowSketches: 1 }));
            stored = await RowAsync(store);
            await ServeAsync(log, [("late-1", _minute0 + 1)]);
            await UntilAsync(async () => (await RowAsync(store)).Counts.Late == 1);
        });

        var afterLate = await RowAsync(store);
        Assert.Equal((true, Users, 0L), (stored!.Final, stored.Counts.Impressions, stored.Counts.Late));
        Assert.Equal(stored.Counts with { Late = 1 }, afterLate.Counts);
        Assert.Equal(stored.UniquesSketch, afterLate.UniquesSketch);
        Assert.Equal(Users, HyperLogLog.FromBytes(afterLate.UniquesSketch).Estimate(), Users * 0.03);

        await WithLayerAsync(log, store, async layer =>
        {
            await UntilAsync(() => Task.FromResult(layer.StateSize.Windows == 2));
            Assert.Equal(1, layer.StateSize.WindowSketches); // restored without the released sketch
            await ServeAsync(log, [("late-2", _minute0 + 2)]);
            await UntilAsync(async () => (await RowAsync(store)).Counts.Late == 2);
        });

        var afterRestart = await RowAsync(store);
        Assert.Equal(stored.Counts with { Late = 2 }, afterRestart.Counts);
        Assert.Equal(stored.UniquesSketch, afterRestart.UniquesSketch);
    }

    private async Task<SpeedViewRow> RowAsync(IViewStore store) =>
        (await store.ReadSpeedRowsAsync("camp-1", _minute0, _minute0 + 60_000)).SingleOrDefault()
        ?? new SpeedViewRow("camp-1", _minute0, 0, default, [], false);

    private async Task ServeAsync(IEventLog log, IEnumerable<(string User, long EventTimeMs)> events)
    {
        await using var producer = log.CreateProducer();
        foreach (var (user, time) in events)
        {
            var record = new AdEventRecord
            {
                Kind = EventKind.Served,
                EventId = $"{user}-{time}",
                AdId = "ad-1",
                CampaignId = "camp-1",
                AdvertiserId = "adv-1",
                UserId = user,
                Ip = "10.0.0.1",
                UserAgent = "Mozilla/5.0",
                Placement = "top",
                Score = 0.5,
                CostMicros = 1_000,
                EventTimeMs = time,
            };
            producer.Enqueue(new TopicPartition(Topics.Served, 0), "ad-1"u8, _encoder.Encode(record), 0);
        }

        await producer.FlushAsync();
    }

    private async Task WithLayerAsync(IEventLog log, IViewStore store, Func<SpeedLayer, Task> body)
    {
        using var stop = new CancellationTokenSource();
        var layer = new SpeedLayer(log, store, BotRules.Default, Options(), NullLoggerFactory.Instance, TimeProvider.System);
        var running = layer.RunAsync(stop.Token);
        try
        {
            await body(layer);
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }
    }

    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            await Task.Delay(50, timeout.Token);
        }
    }
}

using Lambda.Log.Embedded;
using Lambda.SharedModel.Bots;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;
using Lambda.Store.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lambda.Speed.Tests;

/// <summary>
/// Corrupt bytes in a log segment under the speed layer: the read that reaches them fails with the
/// bad range, the whole layer stops (no partition silently stalls), and no offset at or past the bad
/// batch is ever checkpointed or committed as processed.
/// </summary>
public sealed class CorruptLogTests
{
    [Fact]
    public async Task the_speed_layer_stops_at_corrupt_log_bytes_reporting_the_range_and_never_commits_past_it()
    {
        using var dir = new TempDirectory("lambda-speed-corrupt");
        await TrafficFixture.AppendAsync(dir.Path, TrafficFixture.Clean(seed: 5), 40_000);
        var served0 = new TopicPartition(Topics.Served, 0);
        var segment = Directory.GetFiles(Path.Combine(dir.Path, "log", "topics", Topics.Served, "0"), "*.seg").Order().First();
        var (position, batchBase) = MiddleBatch(segment);
        using (var file = new FileStream(segment, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Position = position + 40;
            var b = file.ReadByte();
            file.Position = position + 40;
            file.WriteByte((byte)(b ^ 0x5A));
        }

        var options = new SpeedOptions
        {
            CheckpointDirectory = Path.Combine(dir.Path, "speed"),
            FlushInterval = TimeSpan.FromMilliseconds(100),
            CheckpointInterval = TimeSpan.FromMilliseconds(200),
            Workers = 2,
        };
        await using var log = EmbeddedEventLog.Open(new EmbeddedLogOptions { RootPath = Path.Combine(dir.Path, "log") });
        await using var store = new SqliteViewStore(Path.Combine(dir.Path, "views.db"));
        await store.InitializeAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var speed = new SpeedLayer(log, store, BotRules.Default, options, NullLoggerFactory.Instance, TimeProvider.System);

        var error = await Assert.ThrowsAsync<LogCorruptionException>(() => speed.RunAsync(timeout.Token));

        Assert.False(timeout.IsCancellationRequested, "the layer did not stop by itself");
        Assert.Equal(segment, error.SegmentPath);
        Assert.Equal(position, error.Position);
        Assert.Equal(batchBase, error.Offset);
        Assert.True((await log.GetCommittedAsync(options.ConsumerGroup, served0) ?? 0) <= batchBase);
    }

    /// <summary>The (position, base offset) of a batch in the middle of <paramref name="segment"/>, from the 28-byte batch headers.</summary>
    private static (long Position, long BaseOffset) MiddleBatch(string segment)
    {
        var bytes = File.ReadAllBytes(segment);
        var batches = new List<(long, long)>();
        for (long position = 0; position < bytes.Length; position += BitConverter.ToInt32(bytes, (int)position + 4))
        {
            batches.Add((position, BitConverter.ToInt64(bytes, (int)position + 12)));
        }

        Assert.True(batches.Count >= 3, $"{batches.Count} batches");
        return batches[batches.Count / 2];
    }
}

using System.Collections.Concurrent;
using Lambda.Generator;
using Lambda.Log.Embedded;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;
using Microsoft.Extensions.Logging;

namespace Lambda.Speed.Tests;

/// <summary>
/// Two speed layers on one partition, as when a member lost it without noticing (a long pause, cut
/// off from the group coordinator) while another member took it over: the view store fences the old
/// owner's writes by owner epoch.
/// </summary>
public class PartitionFencingTests
{
    private const long Half = 10_000;

    [Fact]
    public async Task a_member_whose_partition_another_member_claimed_drops_it_at_its_next_flush_and_the_views_equal_the_oracle()
    {
        using var dir = new TempDirectory("lambda-fencing");
        var generator = new TrafficGenerator(TrafficFixture.Clean(seed: 31));
        await using var log = EmbeddedEventLog.Open(new EmbeddedLogOptions { RootPath = Path.Combine(dir.Path, "log") });
        foreach (var topic in Topics.All)
        {
            await log.CreateTopicAsync(topic, 4);
        }

        await ProduceAsync(log, generator, Half);
        var options = new SpeedOptions
        {
            CheckpointDirectory = Path.Combine(dir.Path, "speed"),
            FlushInterval = TimeSpan.FromMilliseconds(100),
            CheckpointInterval = TimeSpan.FromMilliseconds(300),
            Workers = 2,
            IdleTimeout = TimeSpan.FromHours(1),
        };

        // A runs every partition (the embedded mode's start claims each of them).
        var logsOfA = new LogCapture();
        await using var a = await StartAsync(log, dir.Path, options, logsOfA, partitions: null);
        await WaitUntilAsync(async () => await TrafficFixture.ProcessedAsync(dir.Path) >= Half, "A processed the first half", a);

        // B claims partition 0 while A still runs it: A is not told, only fenced.
        await using var b = await StartAsync(log, dir.Path, options, new LogCapture(), partitions: [0]);
        await WaitUntilAsync(() => Task.FromResult(b.Layer.OwnedPartitions.SequenceEqual([0]) && !a.Layer.OwnedPartitions.Contains(0)),
            "A dropped partition 0 at its first refused flush", a, b);
        Assert.Equal([1, 2, 3], a.Layer.OwnedPartitions);
        Assert.Contains(logsOfA.Entries, e => e.Id.Id == 3012 && e.Level == LogLevel.Warning);

        // Both go on: B with partition 0, A with the others.
        await ProduceAsync(log, generator, Half);
        await WaitUntilAsync(async () => await TrafficFixture.ProcessedAsync(dir.Path) >= 2 * Half, "both caught up", a, b);
        await a.StopAsync();
        await b.StopAsync();

        Assert.Equal(2 * Half, await TrafficFixture.ProcessedAsync(dir.Path));
        var rows = await TrafficFixture.ReadAllSpeedRowsAsync(dir.Path);
        SpeedAssert.MatchesOracle(generator.Oracle!.Buckets(), rows.Values);
    }

    /// <summary>Produces the generator's next <paramref name="records"/> records (the oracle counts them all).</summary>
    private static async Task ProduceAsync(IEventLog log, TrafficGenerator generator, long records)
    {
        await using var producer = log.CreateProducer();
        var batch = new GeneratedBatch(4096);
        long written = 0;
        while (written < records)
        {
            var n = generator.NextBatch(batch, (int)Math.Min(batch.Capacity, records - written));
            for (var i = 0; i < batch.Count; i++)
            {
                producer.Enqueue(batch.Topic(i), batch.Key(i), batch.Value(i), 0);
            }

            await producer.FlushAsync();
            written += n;
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails if a member fails or after 3 minutes (a hang).</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, params SpeedMember[] members)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (!await condition())
        {
            foreach (var member in members)
            {
                member.ThrowIfFailed();
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"gave up waiting until {what}");
            }

            await Task.Delay(50);
        }
    }

    private static Task<SpeedMember> StartAsync(IEventLog log, string dataDir, SpeedOptions options, LogCapture capture,
        IReadOnlyList<int>? partitions) =>
        SpeedMember.StartAsync(log, ownsLog: false, dataDir, options,
            LoggerFactory.Create(b => b.AddProvider(capture).SetMinimumLevel(LogLevel.Information)), partitions);

    /// <summary>Keeps every log entry of a member.</summary>
    private sealed class LogCapture : ILoggerProvider
    {
        public ConcurrentQueue<(LogLevel Level, EventId Id)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(LogCapture owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
                Func<TState, Exception?, string> formatter) => owner.Entries.Enqueue((logLevel, eventId));
        }
    }
}

using System.Diagnostics;
using System.Text;
using BenchmarkDotNet.Attributes;
using Lambda.SharedModel.Bots;
using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;
using Lambda.Speed;
using Lambda.Speed.Checkpoints;
using Lambda.Speed.Processing;
using Lambda.Speed.State;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lambda.Benchmarks.Speed;

/// <summary>
/// Checkpoint time for the state of 100,000 ads plus 1,000 campaigns × one day of minute windows
/// (1,440,000 windows, each with a few users in its sketch) and a dedupe window of 200,000 ids.
/// <see cref="SaveDelta"/> is the worker's checkpoint: the changes of a realistic 5 s (100,000
/// events over 1,000 campaigns × the 2 current minutes, 500 new ads, 100,000 new event ids), fed
/// before each iteration. <see cref="SaveBase"/> is a full snapshot and <see cref="CompactChain"/>
/// the background compaction (read base and deltas back, write a base). The physical references
/// write and fsync the same number of bytes as one buffer. Setup prints the state's memory per
/// window and per ad (GC heap size) and the file sizes.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
public class CheckpointBenchmark
{
    private const int Campaigns = 1000;
    private const int Minutes = 1440;
    private const int AdsPerCampaign = 100;
    private const int EventsPer5Seconds = 100_000;
    private const int NewAdsPer5Seconds = 500;

    private readonly EventEncoder _encoder = new();
    private readonly RecordBatch _batch = new(1, 4096);
    private PartitionProcessor _processor = null!;
    private PartitionCheckpointer _checkpointer = null!;
    private CheckpointStore _baseStore = null!;
    private string _directory = null!;
    private long _start;
    private long _offset;
    private int _round;
    private byte[] _baseBytes = [];
    private byte[] _deltaBytes = [];

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("lambda-ckpt-bench").FullName;
        var options = new SpeedOptions
        {
            AllowedLateness = TimeSpan.FromDays(2),
            DedupeCapacity = 200_000,
            CheckpointDirectory = Path.Combine(_directory, "chain"),
        };
        var before = GC.GetTotalMemory(forceFullCollection: true);
        _processor = new PartitionProcessor(0, options, BotRules.Empty, CampaignOwners.InProcess(), new NoDeadLetters());
        _start = new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        for (var c = 0; c < Campaigns; c++)
        {
            for (var a = 0; a < AdsPerCampaign; a++)
            {
                Feed($"ad-{c}-{a}", c, minute: 0, second: 0, user: a);
            }
        }

        var afterAds = GC.GetTotalMemory(forceFullCollection: true);
        for (var m = 1; m < Minutes; m++)
        {
            for (var c = 0; c < Campaigns; c++)
            {
                Feed($"ad-{c}-{m % AdsPerCampaign}", c, m, second: 0, user: (c * 7) + m);
            }
        }

        var afterWindows = GC.GetTotalMemory(forceFullCollection: true);
        _processor.CollectChanges([], []);
        Console.WriteLine($"// state: {_processor.AdCount} ads, {_processor.WindowCount} windows; " +
            $"{(afterAds - before) / (double)_processor.AdCount:F0} B per ad (with its first window), " +
            $"{(afterWindows - afterAds) / (double)(_processor.WindowCount - Campaigns):F0} B per further window (1 user in its sketch)");

        _baseStore = new CheckpointStore(Path.Combine(_directory, "bases"), 0, NullLogger.Instance);
        _checkpointer = new PartitionCheckpointer(0, options, BotRules.Empty, NullLogger.Instance) { AutoCompact = false };
        var watch = Stopwatch.StartNew();
        _checkpointer.Checkpoint(_processor); // the chain's base
        Console.WriteLine($"// first base written in {watch.ElapsedMilliseconds} ms");
        _baseBytes = Serialize(_processor.WriteState);

        // Some deltas for the compaction to fold in, and one more to size the delta reference.
        for (var i = 0; i < 5; i++)
        {
            FeedFiveSeconds();
            _checkpointer.Checkpoint(_processor);
        }

        FeedFiveSeconds();
        _deltaBytes = Serialize(_processor.WriteDelta);
        Console.WriteLine($"// full state (base body): {_baseBytes.Length / 1e6:F1} MB; delta of 5 s of changes: {_deltaBytes.Length / 1e6:F2} MB");
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    /// <summary>5 s of traffic at 20,000 events/s, then the flush that precedes every checkpoint.</summary>
    [IterationSetup(Target = nameof(SaveDelta))]
    public void FeedFiveSeconds()
    {
        // Twelve rounds of 5 s make a minute: the two current minutes move on as the rounds go.
        var minute = Minutes + (_round / 12);
        for (var i = 0; i < EventsPer5Seconds; i++)
        {
            var c = i % Campaigns;
            var ad = i < NewAdsPer5Seconds ? $"ad-{c}-r{_round}" : $"ad-{c}-{i % AdsPerCampaign}";
            Feed(ad, c, minute + (i / Campaigns % 2), second: i % 60, user: 1_000_000 + (_round * EventsPer5Seconds) + i);
        }

        _round++;
        _processor.CollectChanges([], []);
    }

    [Benchmark]
    public void SaveDelta() => _checkpointer.Checkpoint(_processor);

    [Benchmark]
    public void SaveBase() => _baseStore.SaveBase(PartitionProcessor.CheckpointFormatVersion, _processor.WriteState);

    [Benchmark]
    public void CompactChain() => _checkpointer.Compact(_checkpointer.Sequence);

    [Benchmark]
    public void WriteDeltaBytesAndFsync() => WriteAndFsync(_deltaBytes);

    [Benchmark(Baseline = true)]
    public void WriteBaseBytesAndFsync() => WriteAndFsync(_baseBytes);

    private void WriteAndFsync(byte[] bytes)
    {
        var path = Path.Combine(_directory, "reference.bin");
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        file.Write(bytes);
        file.Flush(flushToDisk: true);
    }

    private static byte[] Serialize(Action<BinaryWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            write(writer);
        }

        return stream.ToArray();
    }

    private void Feed(string ad, int campaign, int minute, int second, int user)
    {
        var record = new AdEventRecord
        {
            Kind = EventKind.Served,
            EventId = $"e{_offset}",
            AdId = ad,
            CampaignId = $"campaign-{campaign}",
            AdvertiserId = $"adv-{campaign % 50}",
            UserId = $"user-{user}",
            Ip = "192.0.2.1",
            UserAgent = "Mozilla/5.0",
            Placement = "top",
            Score = 0.5,
            CostMicros = 1000,
            EventTimeMs = _start + (minute * 60_000L) + (second * 1000L),
        };
        _batch.Reset(_offset);
        _batch.Add(_offset++, record.EventTimeMs, Encoding.UTF8.GetBytes(record.AdId), _encoder.Encode(record));
        _processor.Process(0, _batch[0]);
    }

    private sealed class NoDeadLetters : IDeadLetterSink
    {
        public void Reject(TopicPartition source, in LogRecord record, DecodeResult result)
        {
        }
    }
}

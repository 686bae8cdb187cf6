using System.Text;
using BenchmarkDotNet.Attributes;
using Lambda.SharedModel.Bots;
using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;
using Lambda.Speed;
using Lambda.Speed.Checkpoints;
using Lambda.Speed.Processing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lambda.Benchmarks.Speed;

/// <summary>
/// Checkpoint time for the state of 100,000 ads plus 1,000 campaigns × one day of minute windows
/// (1,440,000 windows, each with a few users in its sketch). The physical reference in the same
/// class writes and fsyncs the same number of bytes as one buffer. Setup also prints the state's
/// memory per window and per ad, measured with the GC's heap size.
/// </summary>
[MemoryDiagnoser]
public class CheckpointBenchmark
{
    private const int Campaigns = 1000;
    private const int Minutes = 1440;
    private const int AdsPerCampaign = 100;

    private PartitionProcessor _processor = null!;
    private CheckpointStore _store = null!;
    private string _directory = null!;
    private byte[] _sameBytes = [];

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("lambda-ckpt-bench").FullName;
        var options = new SpeedOptions { AllowedLateness = TimeSpan.FromDays(2), DedupeCapacity = 1_000 };
        var before = GC.GetTotalMemory(forceFullCollection: true);
        _processor = new PartitionProcessor(0, options, BotRules.Empty, new NoDeadLetters());
        var encoder = new EventEncoder();
        var batch = new RecordBatch(1, 4096);
        var start = new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        long offset = 0;
        for (var c = 0; c < Campaigns; c++)
        {
            for (var a = 0; a < AdsPerCampaign; a++)
            {
                Feed(encoder, batch, ref offset, start, c, a, minute: 0, user: a);
            }
        }

        var afterAds = GC.GetTotalMemory(forceFullCollection: true);
        for (var m = 1; m < Minutes; m++)
        {
            for (var c = 0; c < Campaigns; c++)
            {
                Feed(encoder, batch, ref offset, start, c, m % AdsPerCampaign, m, user: (c * 7) + m);
            }
        }

        var afterWindows = GC.GetTotalMemory(forceFullCollection: true);
        _processor.CollectChanges([]);
        Console.WriteLine($"// state: {_processor.AdCount} ads, {_processor.WindowCount} windows; " +
            $"{(afterAds - before) / (double)_processor.AdCount:F0} B per ad (with its first window), " +
            $"{(afterWindows - afterAds) / (double)(_processor.WindowCount - Campaigns):F0} B per further window (1 user in its sketch)");
        _store = new CheckpointStore(_directory, 0, NullLogger.Instance);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            _processor.WriteState(writer);
        }

        _sameBytes = stream.ToArray();
        Console.WriteLine($"// checkpoint body: {_sameBytes.Length / 1e6:F1} MB");
    }

    private void Feed(EventEncoder encoder, RecordBatch batch, ref long offset, long start, int campaign, int ad, int minute, int user)
    {
        var record = new AdEventRecord
        {
            Kind = EventKind.Served, EventId = $"e{offset}", AdId = $"ad-{campaign}-{ad}", CampaignId = $"campaign-{campaign}",
            AdvertiserId = $"adv-{campaign % 50}", UserId = $"user-{user}", Ip = "192.0.2.1", UserAgent = "Mozilla/5.0",
            Placement = "top", Score = 0.5, CostMicros = 1000, EventTimeMs = start + (minute * 60_000L),
        };
        batch.Reset(offset);
        batch.Add(offset++, start, Encoding.UTF8.GetBytes(record.AdId), encoder.Encode(record));
        _processor.Process(0, batch[0]);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark]
    public void SaveCheckpoint() => _store.Save(PartitionProcessor.CheckpointFormatVersion, _processor.WriteState);

    [Benchmark(Baseline = true)]
    public void WriteSameBytesAndFsync()
    {
        var path = Path.Combine(_directory, "reference.bin");
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        file.Write(_sameBytes);
        file.Flush(flushToDisk: true);
    }

    private sealed class NoDeadLetters : IDeadLetterSink
    {
        public void Reject(TopicPartitionOffset source, ReadOnlySpan<byte> original, DecodeResult result)
        {
        }
    }
}

using BenchmarkDotNet.Attributes;
using Lambda.Generator;
using Lambda.SharedModel.Bots;
using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;
using Lambda.Speed;
using Lambda.Speed.Processing;
using Lambda.Speed.State;

namespace Lambda.Benchmarks.Speed;

/// <summary>
/// The speed layer's per-partition logic alone (no log, no store): decode, bot filter, dedupe,
/// join, aggregate with HLL, over generated traffic of 1,000 Zipf-skewed campaigns. The reference
/// in the same class is decoding alone, the floor of any pipeline over JSON.
/// </summary>
[MemoryDiagnoser]
public class PartitionProcessorBenchmark
{
    private const int Records = 200_000;
    private readonly RecordBatch[] _byTopic = [new(Records, 128 << 20), new(Records, 128 << 20), new(Records, 128 << 20)];
    private (int Topic, int Index)[] _order = [];

    [GlobalSetup]
    public void Setup()
    {
        var generator = new TrafficGenerator(new GeneratorOptions
        {
            Seed = 3,
            Campaigns = 1000,
            AdsPerCampaign = 10,
            Users = 1_000_000,
            EventsPerSecond = 100_000,
            StartTime = DateTimeOffset.UtcNow.AddHours(-1),
        });
        var batch = new GeneratedBatch(8192);
        var order = new List<(int, int)>(Records);
        var logTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        while (order.Count < Records && generator.NextBatch(batch, Math.Min(batch.Capacity, Records - order.Count)) > 0)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var topic = (int)batch.Kind(i);
                var target = _byTopic[topic];
                target.Add(target.Count, logTime + (order.Count / 1000), batch.Key(i), batch.Value(i));
                order.Add((topic, target.Count - 1));
            }
        }

        _order = [.. order];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Records)]
    public int DecodeOnly()
    {
        var decoder = new EventDecoder();
        var ok = 0;
        foreach (var (topic, index) in _order)
        {
            var record = _byTopic[topic][index];
            ok += decoder.Decode((EventKind)topic, record.Value, record.TimestampMs, out _).IsOk ? 1 : 0;
        }

        return ok;
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public int Process()
    {
        var processor = new PartitionProcessor(0, new SpeedOptions(), BotRules.Default, CampaignOwners.InProcess(), NoDeadLetters.Instance);
        foreach (var (topic, index) in _order)
        {
            processor.Process(topic, _byTopic[topic][index]);
        }

        return processor.WindowCount;
    }

    private sealed class NoDeadLetters : IDeadLetterSink
    {
        public static readonly NoDeadLetters Instance = new();

        public void Reject(TopicPartition source, in LogRecord record, DecodeResult result)
        {
        }
    }
}

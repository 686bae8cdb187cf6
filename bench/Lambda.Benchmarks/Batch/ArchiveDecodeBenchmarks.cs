using System.Text.Unicode;
using BenchmarkDotNet.Attributes;
using Lambda.Generator;
using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Time;

namespace Lambda.Benchmarks.Batch;

/// <summary>
/// The archive's decode on its own: 100,000 generated records (all kinds), per record. <see cref="Decode"/> takes
/// the decoder's canonical fast path (records as the encoder writes them); <see cref="DecodeFullReader"/> forces
/// the general JSON reader (a space after '{'), as every record took before session 4. Physical reference in the
/// same class: UTF-8 validation of the same bytes (one vectorized pass, which the decoder also does).
/// </summary>
[MemoryDiagnoser]
public class ArchiveDecodeBenchmarks
{
    private const int Records = 100_000;

    private readonly EventDecoder _decoder = new();
    private (EventKind Kind, byte[] Json, byte[] Spaced, long NowMs)[] _records = [];

    [GlobalSetup]
    public void Setup()
    {
        var generator = new TrafficGenerator(new GeneratorOptions { Seed = 3 });
        var batch = new GeneratedBatch(8192);
        var records = new List<(EventKind, byte[], byte[], long)>(Records);
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + Granularities.DayMs;
        while (records.Count < Records)
        {
            var n = generator.NextBatch(batch, Math.Min(batch.Capacity, Records - records.Count));
            for (var i = 0; i < n; i++)
            {
                var json = batch.Value(i).ToArray();
                Topics.TryGetKind(batch.Topic(i), out var kind);
                records.Add((kind, json, [(byte)'{', (byte)' ', .. json.AsSpan(1)], nowMs));
            }
        }

        _records = [.. records];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Records)]
    public int ValidateUtf8()
    {
        var valid = 0;
        foreach (var (_, json, _, _) in _records)
        {
            valid += Utf8.IsValid(json) ? 1 : 0;
        }

        return valid;
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public long Decode()
    {
        long sum = 0;
        foreach (var (kind, json, _, nowMs) in _records)
        {
            if (_decoder.Decode(kind, json, nowMs, out var ev).IsOk)
            {
                sum += ev.EventTimeMs + ev.UserAgent.Length;
            }
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public long DecodeFullReader()
    {
        long sum = 0;
        foreach (var (kind, _, spaced, nowMs) in _records)
        {
            if (_decoder.Decode(kind, spaced, nowMs, out var ev).IsOk)
            {
                sum += ev.EventTimeMs + ev.UserAgent.Length;
            }
        }

        return sum;
    }
}

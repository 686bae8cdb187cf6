using BenchmarkDotNet.Attributes;
using Lambda.Generator;
using Lambda.Generator.Randomness;

namespace Lambda.Benchmarks.Generator;

/// <summary>
/// Generation alone (target ≥ 1,000,000 records/s), per record. Physical references in the same class:
/// copying the same JSON bytes (memcpy) and drawing the same number of raw xoshiro256** numbers
/// as a record needs (about 12).
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private const int Records = 10_000;

    private TrafficGenerator _generator = null!;
    private TrafficGenerator _structsOnly = null!;
    private TrafficGenerator _withOracle = null!;
    private GeneratedBatch _batch = null!;
    private byte[] _sameBytes = null!;
    private byte[] _copyTarget = null!;
    private Xoshiro256StarStar _rng;

    [GlobalSetup]
    public void Setup()
    {
        var options = new GeneratorOptions { Seed = 1, EventsPerSecond = 1_000_000 };
        _generator = new TrafficGenerator(options);
        _structsOnly = new TrafficGenerator(options);
        _withOracle = new TrafficGenerator(options with { ComputeOracle = true });
        _batch = new GeneratedBatch(Records);
        // Warm the pending queue to its steady size before measuring.
        for (var i = 0; i < 20; i++)
        {
            _generator.NextBatch(_batch);
            _structsOnly.NextBatch(_batch);
        }

        _sameBytes = _batch.JsonLines.ToArray();
        _copyTarget = new byte[_sameBytes.Length];
        _rng = new Xoshiro256StarStar(1);
    }

    [Benchmark(OperationsPerInvoke = Records, Description = "generate JSON batch")]
    public int GenerateJsonBatch() => _generator.NextBatch(_batch);

    [Benchmark(OperationsPerInvoke = Records, Description = "generate records, no JSON")]
    public long GenerateRecordsOnly()
    {
        long sum = 0;
        for (var i = 0; i < Records; i++)
        {
            _structsOnly.TryNext(out var e);
            sum += e.EventTimeMs;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Records, Description = "generate JSON batch + oracle")]
    public int GenerateWithOracle() => _withOracle.NextBatch(_batch);

    [Benchmark(Baseline = true, OperationsPerInvoke = Records, Description = "memcpy of the same JSON bytes")]
    public void MemcpySameBytes() => _sameBytes.AsSpan().CopyTo(_copyTarget);

    [Benchmark(OperationsPerInvoke = Records, Description = "raw xoshiro256**, 12 draws per record")]
    public ulong RawRng()
    {
        ulong x = 0;
        for (var i = 0; i < Records * 12; i++)
        {
            x ^= _rng.NextUInt64();
        }

        return x;
    }
}

using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Lambda.SharedModel.Sketches;

namespace Lambda.Benchmarks.Sketches;

/// <summary>
/// HyperLogLog add, merge, estimate and serialization. Physical references in the same class:
/// XxHash64 over the same user ids (what every add pays first) and a memcpy of a dense sketch's bytes.
/// </summary>
[MemoryDiagnoser]
public class HyperLogLogBenchmarks
{
    private const int Users = 100_000;
    private const int SparseSketches = 100;
    private const int UsersPerSparseSketch = 1_000;

    private byte[][] _userIds = [];
    private ulong[] _hashes = [];
    private ulong[] _otherHashes = [];
    private HyperLogLog _dense = new();
    private HyperLogLog _otherDense = new();
    private HyperLogLog _sparse = new();
    private HyperLogLog _otherSparse = new();
    private readonly HyperLogLog _target = new();
    private byte[] _denseBytes = [];
    private byte[] _sparseBytes = [];
    private readonly byte[] _buffer = new byte[HyperLogLog.MaxSerializedLength];
    private readonly byte[] _registersSource = new byte[HyperLogLog.RegisterCount];
    private readonly byte[] _registersTarget = new byte[HyperLogLog.RegisterCount];

    [GlobalSetup]
    public void Setup()
    {
        _userIds = Enumerable.Range(0, Users)
            .Select(i => Encoding.UTF8.GetBytes(Guid.CreateVersion7(DateTimeOffset.UnixEpoch.AddSeconds(i)).ToString()))
            .ToArray();
        _hashes = _userIds.Select(id => UserHash.Of(id)).ToArray();
        _otherHashes = Enumerable.Range(0, Users).Select(i => UserHash.Of("other-" + i.ToString(CultureInfo.InvariantCulture))).ToArray();
        _dense = Sketch(_hashes);
        _otherDense = Sketch(_otherHashes);
        _sparse = Sketch(_hashes.AsSpan(0, UsersPerSparseSketch));
        _otherSparse = Sketch(_otherHashes.AsSpan(0, UsersPerSparseSketch));
        _denseBytes = _dense.ToBytes();
        _sparseBytes = _sparse.ToBytes();
        Random.Shared.NextBytes(_registersSource);
    }

    /// <summary>Physical reference: XxHash64 alone over the same user ids.</summary>
    [Benchmark(OperationsPerInvoke = Users)]
    public ulong HashUserIds()
    {
        var sum = 0UL;
        foreach (var id in _userIds)
        {
            sum += UserHash.Of(id);
        }

        return sum;
    }

    /// <summary>Hash and add each id into a dense sketch: the speed layer's per-event cost.</summary>
    [Benchmark(OperationsPerInvoke = Users)]
    public HyperLogLog HashAndAddDense()
    {
        var sketch = _dense;
        foreach (var id in _userIds)
        {
            sketch.Add(UserHash.Of(id));
        }

        return sketch;
    }

    [Benchmark(OperationsPerInvoke = Users)]
    public HyperLogLog AddDense()
    {
        var sketch = _dense;
        foreach (var hash in _otherHashes)
        {
            sketch.Add(hash);
        }

        return sketch;
    }

    /// <summary>100 fresh sketches of 1,000 users each, all staying sparse (allocation included).</summary>
    [Benchmark(OperationsPerInvoke = SparseSketches * UsersPerSparseSketch)]
    public int AddSparse()
    {
        var registers = 0;
        for (var s = 0; s < SparseSketches; s++)
        {
            var sketch = Sketch(_hashes.AsSpan(s * UsersPerSparseSketch, UsersPerSparseSketch));
            registers += sketch.SerializedLength;
        }

        return registers;
    }

    /// <summary>Physical reference for dense merge: memcpy of 16,384 register bytes.</summary>
    [Benchmark]
    public void CopyRegisters() => _registersSource.AsSpan().CopyTo(_registersTarget);

    [Benchmark]
    public HyperLogLog MergeDense()
    {
        _dense.Merge(_otherDense);
        return _dense;
    }

    [Benchmark]
    public HyperLogLog MergeSparse()
    {
        _target.Clear();
        _target.Merge(_sparse);
        _target.Merge(_otherSparse);
        return _target;
    }

    [Benchmark]
    public long EstimateDense() => _dense.Estimate();

    /// <summary>Physical reference for serialization: memcpy of the dense form's 12,291 bytes.</summary>
    [Benchmark]
    public void CopyDenseBytes() => _denseBytes.AsSpan().CopyTo(_buffer);

    [Benchmark]
    public int SerializeDense() => _dense.WriteTo(_buffer);

    [Benchmark]
    public int SerializeSparse() => _sparse.WriteTo(_buffer);

    [Benchmark]
    public HyperLogLog DeserializeDense() => HyperLogLog.FromBytes(_denseBytes);

    [Benchmark]
    public HyperLogLog DeserializeSparse() => HyperLogLog.FromBytes(_sparseBytes);

    private static HyperLogLog Sketch(ReadOnlySpan<ulong> hashes)
    {
        var sketch = new HyperLogLog();
        foreach (var hash in hashes)
        {
            sketch.Add(hash);
        }

        return sketch;
    }
}

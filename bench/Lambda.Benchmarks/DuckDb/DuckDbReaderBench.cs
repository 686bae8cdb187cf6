using BenchmarkDotNet.Attributes;
using Lambda.DuckDb;

namespace Lambda.Benchmarks.DuckDb;

/// <summary>
/// Reading a materialized result row by row through the chunk reader (BIGINT, DOUBLE, VARCHAR).
/// Physical reference: summing the same values from managed arrays.
/// </summary>
[MemoryDiagnoser]
public class DuckDbReaderBench
{
    private const int Rows = 1_000_000;

    private readonly long[] _longs = new long[Rows];
    private readonly double[] _doubles = new double[Rows];
    private readonly int[] _lengths = new int[Rows];
    private DuckDbDatabase _database = null!;
    private DuckDbConnection _connection = null!;

    [GlobalSetup]
    public void Setup()
    {
        _database = DuckDbDatabase.OpenInMemory(new DuckDbOptions { Threads = 1 });
        _connection = _database.Connect();
        _connection.Execute($"CREATE TABLE t AS SELECT range AS n, range * 0.5 AS score, 'campaign-' || (range % 1000) AS c FROM range({Rows})");
        for (var i = 0; i < Rows; i++)
        {
            _longs[i] = i;
            _doubles[i] = i * 0.5;
            _lengths[i] = 12;
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _connection.Dispose();
        _database.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Rows)]
    public double SumArrays()
    {
        double sum = 0;
        for (var i = 0; i < Rows; i++)
        {
            sum += _longs[i] + _doubles[i] + _lengths[i];
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public double ReadRows()
    {
        using var reader = _connection.Query("SELECT n, score, c FROM t");
        double sum = 0;
        while (reader.Read())
        {
            sum += reader.GetInt64(0) + reader.GetDouble(1) + reader.GetBytes(2).Length;
        }
        return sum;
    }
}

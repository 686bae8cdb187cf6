using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Lambda.DuckDb;

namespace Lambda.Benchmarks.DuckDb;

/// <summary>
/// Appender throughput for served-like rows (BIGINT, DOUBLE, VARCHAR of 27 bytes, TIMESTAMP).
/// Physical reference: writing the same values into a flat managed buffer (what the rows cost as bytes).
/// </summary>
[MemoryDiagnoser]
public class DuckDbAppenderBench
{
    private const int Rows = 1_000_000;
    private static readonly DateTime Start = new(2024, 5, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly byte[] _buffer = new byte[Rows * (8 + 8 + 27 + 8)];
    private DuckDbDatabase _database = null!;
    private DuckDbConnection _connection = null!;

    [GlobalSetup]
    public void Setup()
    {
        _database = DuckDbDatabase.OpenInMemory(new DuckDbOptions { Threads = 1 });
        _connection = _database.Connect();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _connection.Dispose();
        _database.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Rows)]
    public int WriteRowsToBuffer()
    {
        var span = _buffer.AsSpan();
        var campaign = "campaign-even-and-long-name"u8;
        var offset = 0;
        for (var i = 0; i < Rows; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(span[offset..], i);
            BinaryPrimitives.WriteDoubleLittleEndian(span[(offset + 8)..], i * 0.5);
            campaign.CopyTo(span[(offset + 16)..]);
            BinaryPrimitives.WriteInt64LittleEndian(span[(offset + 43)..], Start.AddSeconds(i).Ticks);
            offset += 51;
        }
        return offset;
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public void AppendRows()
    {
        // Recreating the table costs well under 1% of a million appends; IterationSetup would forbid a ratio.
        _connection.Execute("CREATE OR REPLACE TABLE served (n BIGINT, score DOUBLE, campaign VARCHAR, t TIMESTAMP)");
        using var appender = _connection.CreateAppender("served");
        var campaign = "campaign-even-and-long-name"u8;
        for (var i = 0; i < Rows; i++)
        {
            appender.AppendInt64(i);
            appender.AppendDouble(i * 0.5);
            appender.AppendVarchar(campaign);
            appender.AppendTimestamp(Start.AddSeconds(i));
            appender.EndRow();
        }
        appender.Close();
    }
}

using System.Globalization;
using System.Text;
using Lambda.DuckDb;

namespace Lambda.Batch.Tests.DuckDb;

public sealed class ChunkScanTests : IDisposable
{
    private static readonly (string Name, DuckDbType Type)[] Columns =
        [("id", DuckDbType.BigInt), ("name", DuckDbType.Varchar), ("note", DuckDbType.Varchar)];

    private readonly DuckDbDatabase _database = DuckDbDatabase.OpenInMemory(new DuckDbOptions { Threads = 1 });
    private readonly DuckDbConnection _connection;
    private readonly DuckDbStringArena _arena = new();

    public ChunkScanTests() => _connection = _database.Connect();

    public void Dispose()
    {
        _connection.Dispose();
        _database.Dispose();
        _arena.Dispose();
    }

    [Fact]
    public void a_query_reads_every_row_the_source_writes_in_order_with_arena_strings_and_nulls()
    {
        const int Rows = 5_000; // more than two chunks, the last one partial
        using var scan = DuckDbChunkScan.Register(_connection, "numbers", Columns);
        var next = 0;
        scan.Source = chunk =>
        {
            _arena.Reset(); // the previous chunk is done with
            while (!chunk.IsFull && next < Rows)
            {
                var row = chunk.Size++;
                chunk.Int64Column(0)[row] = next;
                chunk.SetBytes(1, row, Encoding.UTF8.GetBytes(Name(next)), _arena);
                if (next % 3 == 0)
                {
                    chunk.ValidityMask(2)[row >> 6] &= ~(1UL << (row & 63));
                }
                else
                {
                    chunk.SetBytes(2, row, "short"u8, _arena);
                }

                next++;
            }

            return next < Rows;
        };

        using var reader = _connection.Query("SELECT id, name, note FROM numbers()");
        var expected = 0;
        while (reader.Read())
        {
            Assert.Equal(expected, reader.GetInt64(0));
            Assert.Equal(Name(expected), reader.GetString(1));
            Assert.Equal(expected % 3 == 0, reader.IsNull(2));
            if (expected % 3 != 0)
            {
                Assert.Equal("short", reader.GetString(2));
            }

            expected++;
        }

        Assert.Equal(Rows, expected);
    }

    [Fact]
    public void a_copy_to_parquet_from_the_scan_holds_the_rows_and_a_second_query_reads_anew()
    {
        using var directory = new TempDirectory();
        using var scan = DuckDbChunkScan.Register(_connection, "pairs", Columns);
        for (var round = 1; round <= 2; round++)
        {
            var left = 3000 * round;
            scan.Source = chunk =>
            {
                _arena.Reset();
                while (!chunk.IsFull && left > 0)
                {
                    var row = chunk.Size++;
                    chunk.Int64Column(0)[row] = left;
                    chunk.SetBytes(1, row, Encoding.UTF8.GetBytes(Name(left)), _arena);
                    chunk.SetBytes(2, row, "n"u8, _arena);
                    left--;
                }

                return left > 0;
            };
            var path = directory.File(string.Create(CultureInfo.InvariantCulture, $"round{round}.parquet"));
            _connection.Execute($"COPY (SELECT * FROM pairs()) TO {DuckDbSql.Literal(path)} (FORMAT parquet, COMPRESSION zstd)");

            Assert.Equal(3000 * round, _connection.ScalarInt64($"SELECT count(*) FROM read_parquet({DuckDbSql.Literal(path)})"));
            Assert.Equal(3000 * round, _connection.ScalarInt64(
                $"SELECT count(*) FROM read_parquet({DuckDbSql.Literal(path)}) WHERE name = 'name-' || id || '-with-a-long-tail'"));
        }
    }

    [Fact]
    public void an_exception_in_the_source_fails_the_query_and_is_rethrown_as_itself()
    {
        using var scan = DuckDbChunkScan.Register(_connection, "failing", Columns);
        scan.Source = _ => throw new OperationCanceledException("stop here");

        var failure = Assert.Throws<DuckDbException>(() => _connection.Execute("SELECT count(*) FROM failing()"));
        Assert.Contains("stop here", failure.Message, StringComparison.Ordinal);
        Assert.Throws<OperationCanceledException>(scan.RethrowSourceFailure);
    }

    private static string Name(long i) => string.Create(CultureInfo.InvariantCulture, $"name-{i}-with-a-long-tail");
}

using System.Collections.Concurrent;
using System.Text;
using Lambda.DuckDb;

namespace Lambda.Batch.Tests.DuckDb;

public sealed class TableFunctionTests : IDisposable
{
    private static readonly DuckDbColumn[] Columns =
        [new("id", DuckDbType.BigInt), new("name", DuckDbType.Varchar), new("payload", DuckDbType.Blob)];

    private readonly DuckDbDatabase _database = DuckDbDatabase.OpenInMemory();
    private readonly DuckDbConnection _connection;
    private readonly ConcurrentQueue<int[]> _projections = new();

    public TableFunctionTests()
    {
        _connection = _database.Connect();
        _connection.RegisterTableFunction(new DuckDbTableFunction("numbers", Columns, (n, columns) =>
        {
            _projections.Enqueue(columns);
            return n < 0 ? throw new InvalidOperationException("no negative counts") : new Numbers(n, columns);
        }));
    }

    public void Dispose()
    {
        _connection.Dispose();
        _database.Dispose();
    }

    [Fact]
    public void rows_of_a_csharp_scan_read_back_in_order_over_several_chunks()
    {
        const int Rows = 5_000;
        using var reader = _connection.Query("SELECT id, name, payload FROM numbers(5000)");
        var i = 0;
        while (reader.Read())
        {
            Assert.Equal(i, reader.GetInt64(0));
            Assert.Equal(NameOf(i), reader.GetString(1));
            Assert.Equal(PayloadOf(i), reader.GetBytes(2).ToArray());
            i++;
        }

        Assert.Equal(Rows, i);
    }

    [Fact]
    public void a_query_gets_only_the_columns_it_uses()
    {
        using (var reader = _connection.Query("SELECT sum(id), count(*) FROM numbers(3000)"))
        {
            Assert.True(reader.Read());
            Assert.Equal(2999L * 3000 / 2, reader.GetInt64(0));
            Assert.Equal(3000, reader.GetInt64(1));
        }

        Assert.True(_projections.TryDequeue(out var columns));
        Assert.Equal([0], columns);
    }

    [Fact]
    public void a_copy_to_parquet_writes_the_rows_in_scan_order()
    {
        using var temp = new TempDirectory();
        var file = temp.File("numbers.parquet");
        var written = _connection.Execute($"COPY (SELECT * FROM numbers(10000)) TO {DuckDbSql.Literal(file)} (FORMAT parquet, ROW_GROUP_SIZE 3000)");
        Assert.Equal(10_000, written);
        using var reader = _connection.Query($"SELECT id, name FROM read_parquet({DuckDbSql.Literal(file)})");
        var i = 0;
        while (reader.Read())
        {
            Assert.Equal(i, reader.GetInt64(0));
            Assert.Equal(NameOf(i), reader.GetString(1));
            i++;
        }

        Assert.Equal(10_000, i);
    }

    [Fact]
    public void an_exception_in_the_scan_becomes_the_query_error()
    {
        var error = Assert.Throws<DuckDbException>(() => _connection.Query("SELECT * FROM numbers(-1)"));
        Assert.Contains("no negative counts", error.Message, StringComparison.Ordinal);
        using var reader = _connection.Query("SELECT count(*) FROM numbers(10)");
        Assert.True(reader.Read());
        Assert.Equal(10, reader.GetInt64(0));
    }

    [Fact]
    public void strings_and_nulls_of_one_chunk_do_not_leak_into_the_next()
    {
        const int Rows = 5_000; // more than two chunks, the last one partial; every third row NULL shifts from chunk to chunk
        _connection.RegisterTableFunction(new DuckDbTableFunction("notes", [new("id", DuckDbType.BigInt), new("note", DuckDbType.Varchar)],
            (_, _) => new Notes(Rows)));

        using var reader = _connection.Query("SELECT id, note FROM notes(0)");
        var expected = 0;
        while (reader.Read())
        {
            Assert.Equal(expected, reader.GetInt64(0));
            Assert.Equal(expected % 3 == 0, reader.IsNull(1));
            if (expected % 3 != 0)
            {
                Assert.Equal(NameOf(expected), reader.GetString(1));
            }

            expected++;
        }

        Assert.Equal(Rows, expected);
    }

    private static string NameOf(long i) => i % 3 == 0 ? $"a long name beyond twelve bytes {i}" : $"n{i}";

    private static byte[] PayloadOf(long i) => Encoding.ASCII.GetBytes($"p{i}");

    /// <summary>0..count-1 with a note, NULL for every third row, a chunk at a time.</summary>
    private sealed class Notes(int count) : IDuckDbTableScan
    {
        private int _next;

        public void Fill(DuckDbDataChunk output)
        {
            while (!output.IsFull && _next < count)
            {
                var row = output.Size++;
                output.Int64Column(0)[row] = _next;
                if (_next % 3 == 0)
                {
                    output.SetNull(1, row);
                }
                else
                {
                    output.SetBytes(1, row, Encoding.UTF8.GetBytes(NameOf(_next)));
                }

                _next++;
            }
        }
    }

    /// <summary>0..count-1 with a name and a payload, a chunk at a time.</summary>
    private sealed class Numbers(long count, int[] columns) : IDuckDbTableScan
    {
        private long _next;

        public void Fill(DuckDbDataChunk output)
        {
            var rows = (int)Math.Min(output.Capacity, count - _next);
            for (var c = 0; c < columns.Length; c++)
            {
                for (var r = 0; r < rows; r++)
                {
                    var i = _next + r;
                    switch (columns[c])
                    {
                        case 0:
                            output.Int64Column(c)[r] = i;
                            break;
                        case 1:
                            output.SetBytes(c, r, Encoding.UTF8.GetBytes(NameOf(i)));
                            break;
                        case 2:
                            output.SetBytes(c, r, PayloadOf(i));
                            break;
                        default:
                            break;
                    }
                }
            }

            output.Size = Math.Max(rows, 0);
            _next += Math.Max(rows, 0);
        }
    }
}

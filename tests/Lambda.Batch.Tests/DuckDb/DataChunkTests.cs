using System.Text;
using Lambda.DuckDb;

namespace Lambda.Batch.Tests.DuckDb;

public sealed class DataChunkTests : IDisposable
{
    private static readonly DuckDbType[] Types = [DuckDbType.BigInt, DuckDbType.UBigInt, DuckDbType.Integer, DuckDbType.Varchar, DuckDbType.Blob];

    private readonly DuckDbDatabase _database = DuckDbDatabase.OpenInMemory();
    private readonly DuckDbConnection _connection;

    public DataChunkTests()
    {
        _connection = _database.Connect();
        _connection.Execute("CREATE TABLE t (id BIGINT, hash UBIGINT, slot INTEGER, name VARCHAR, payload BLOB)");
    }

    public void Dispose()
    {
        _connection.Dispose();
        _database.Dispose();
    }

    [Fact]
    public void rows_appended_in_chunks_read_back_value_for_value_with_nulls_and_long_strings()
    {
        const int Rows = 5_000; // more than two chunks, the last one partial
        using (var appender = _connection.CreateAppender("t"))
        using (var chunk = new DuckDbDataChunk(Types))
        {
            Assert.Equal(2048, chunk.Capacity);
            for (var i = 0; i < Rows; i++)
            {
                var row = chunk.Size;
                chunk.Int64Column(0)[row] = i;
                chunk.UInt64Column(1)[row] = ulong.MaxValue - (ulong)i;
                chunk.Int32Column(2)[row] = -i;
                if (i % 7 == 0)
                {
                    chunk.SetNull(3, row);
                }
                else
                {
                    chunk.SetBytes(3, row, Encoding.UTF8.GetBytes(Name(i)));
                }

                chunk.SetBytes(4, row, i % 5 == 0 ? [] : BitConverter.GetBytes(i));
                chunk.Size = row + 1;
                if (chunk.IsFull)
                {
                    appender.AppendChunk(chunk);
                    chunk.Reset();
                }
            }

            appender.AppendChunk(chunk);
            appender.Close();
        }

        using var reader = _connection.Query("SELECT id, hash, slot, name, payload FROM t ORDER BY id");
        var expected = 0;
        while (reader.Read())
        {
            Assert.Equal(expected, reader.GetInt64(0));
            Assert.Equal(ulong.MaxValue - (ulong)expected, reader.GetUInt64(1));
            Assert.Equal(-expected, reader.GetInt32(2));
            if (expected % 7 == 0)
            {
                Assert.True(reader.IsNull(3));
            }
            else
            {
                Assert.Equal(Name(expected), reader.GetString(3));
            }

            Assert.Equal(expected % 5 == 0 ? [] : BitConverter.GetBytes(expected), reader.GetBlob(4));
            expected++;
        }

        Assert.Equal(Rows, expected);
    }

    [Fact]
    public void a_chunk_of_the_wrong_shape_fails_with_duckdbs_message()
    {
        using var appender = _connection.CreateAppender("t");
        using var chunk = new DuckDbDataChunk([DuckDbType.BigInt]);
        chunk.Int64Column(0)[0] = 1;
        chunk.Size = 1;
        var error = Assert.Throws<DuckDbException>(() => appender.AppendChunk(chunk));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void a_column_of_another_type_is_refused()
    {
        using var chunk = new DuckDbDataChunk(Types);
        Assert.Throws<InvalidCastException>(() => chunk.Int64Column(1));
        Assert.Throws<InvalidCastException>(() => chunk.SetBytes(0, 0, "x"u8));
        Assert.Throws<ArgumentOutOfRangeException>(() => chunk.SetNull(3, chunk.Capacity));
    }

    [Fact]
    public void vectors_of_a_result_hold_every_row_chunk_by_chunk_with_their_nulls()
    {
        using var reader = _connection.Query("""
            SELECT i::BIGINT AS id, (i * 3)::UBIGINT AS h, (i % 11)::INTEGER AS s,
                   CASE WHEN i % 4 = 0 THEN NULL ELSE i END::BIGINT AS maybe
            FROM range(10000) r(i) ORDER BY i
            """);
        long count = 0, sumId = 0, nulls = 0;
        ulong sumHash = 0;
        var sawChunk = false;
        while (reader.ReadChunk())
        {
            var ids = reader.GetInt64Vector(0);
            var hashes = reader.GetUInt64Vector(1);
            var slots = reader.GetInt32Vector(2);
            Assert.Equal(reader.ChunkRowCount, ids.Length);
            Assert.True(reader.HasNoNulls(0));
            Assert.False(reader.HasNoNulls(3));
            Assert.Throws<InvalidCastException>(() => reader.GetInt32Vector(0));
            sawChunk = true;
            for (var i = 0; i < ids.Length; i++)
            {
                Assert.Equal(ids[i] % 11, slots[i]);
                sumId += ids[i];
                sumHash += hashes[i];
                Assert.Equal(ids[i] % 4 == 0, reader.IsNullAt(3, i));
                nulls += reader.IsNullAt(3, i) ? 1 : 0;
                count++;
            }
        }

        Assert.True(sawChunk);
        Assert.Equal(10_000, count);
        Assert.Equal(49_995_000, sumId);
        Assert.Equal(3UL * 49_995_000, sumHash);
        Assert.Equal(2_500, nulls);
        Assert.Throws<InvalidOperationException>(() => reader.GetInt64Vector(0)); // past the end: no chunk
    }

    [Fact]
    public void strings_of_a_chunk_read_by_row_short_and_long_with_their_nulls()
    {
        using var reader = _connection.Query("""
            SELECT i::BIGINT AS id, CASE WHEN i % 5 = 0 THEN NULL WHEN i % 2 = 0 THEN 'campaign-with-a-long-name-' || i ELSE 'c' || i END AS name
            FROM range(5000) r(i) ORDER BY i
            """);
        long count = 0;
        while (reader.ReadChunk())
        {
            var ids = reader.GetInt64Vector(0);
            Assert.Throws<InvalidCastException>(() => reader.GetBytesAt(0, 0));
            for (var i = 0; i < ids.Length; i++)
            {
                if (reader.IsNullAt(1, i))
                {
                    Assert.Equal(0, ids[i] % 5);
                    continue;
                }

                Assert.Equal(Name((int)ids[i]), System.Text.Encoding.UTF8.GetString(reader.GetBytesAt(1, i)));
                count++;
            }

            var rows = ids.Length;
            Assert.Throws<ArgumentOutOfRangeException>(() => reader.GetBytesAt(1, rows));
        }

        Assert.Equal(4_000, count);
    }

    private static string Name(int i) => i % 2 == 0 ? $"campaign-with-a-long-name-{i}" : $"c{i}";
}

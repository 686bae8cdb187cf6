using Lambda.DuckDb;

namespace Lambda.Batch.Tests.DuckDb;

public sealed class DataReaderTests : IDisposable
{
    private readonly DuckDbDatabase _database = DuckDbDatabase.OpenInMemory();
    private readonly DuckDbConnection _connection;

    public DataReaderTests() => _connection = _database.Connect();

    public void Dispose()
    {
        _connection.Dispose();
        _database.Dispose();
    }

    [Fact]
    public void column_names_types_and_row_count_are_reported()
    {
        using var reader = _connection.Query("SELECT 1::INTEGER AS id, 'x' AS name, 2.5::DOUBLE AS score FROM range(3)");
        Assert.Equal(3, reader.FieldCount);
        Assert.Equal(["id", "name", "score"], Enumerable.Range(0, 3).Select(reader.GetName));
        Assert.Equal([DuckDbType.Integer, DuckDbType.Varchar, DuckDbType.Double], Enumerable.Range(0, 3).Select(reader.GetColumnType));
        Assert.Equal(1, reader.GetOrdinal("NAME"));
        Assert.Equal(-1, reader.GetOrdinal("missing"));
        Assert.Equal(3L, reader.RowCount);
    }

    [Fact]
    public void every_scalar_type_reads_with_its_getter()
    {
        using var reader = _connection.Query("""
            SELECT true, -7::TINYINT, -300::SMALLINT, 70000::INTEGER, 5000000000::BIGINT,
                   200::UTINYINT, 60000::USMALLINT, 4000000000::UINTEGER, 18446744073709551615::UBIGINT,
                   1.25::FLOAT, 2.5::DOUBLE, 170141183460469231731687303715884105727::HUGEINT,
                   123.45::DECIMAL(5,2), -12345678901234.5678::DECIMAL(18,4), 1.000000000000000000000000001::DECIMAL(28,27),
                   'short', 'this one is longer than twelve bytes', '\xAA\xBB'::BLOB,
                   TIMESTAMP '2024-01-02 03:04:05.123456', DATE '2024-01-02',
                   TIMESTAMP_MS '2024-01-02 03:04:05.123', TIMESTAMP_S '2024-01-02 03:04:05',
                   TIMESTAMP_NS '2024-01-02 03:04:05.123456789', TIMESTAMPTZ '2024-01-02 03:04:05+00'
            """);
        Assert.True(reader.Read());
        var i = 0;
        Assert.True(reader.GetBoolean(i++));
        Assert.Equal(-7, reader.GetInt32(i++));
        Assert.Equal(-300, reader.GetInt32(i++));
        Assert.Equal(70000, reader.GetInt32(i++));
        Assert.Equal(5000000000L, reader.GetInt64(i++));
        Assert.Equal(200, reader.GetInt32(i++));
        Assert.Equal(60000, reader.GetInt32(i++));
        Assert.Equal(4000000000L, reader.GetInt64(i++));
        Assert.Equal(ulong.MaxValue, reader.GetUInt64(i++));
        Assert.Equal(1.25, reader.GetDouble(i++));
        Assert.Equal(2.5, reader.GetDouble(i++));
        Assert.Equal(Int128.MaxValue, reader.GetInt128(i++));
        Assert.Equal(123.45m, reader.GetDecimal(i++));
        Assert.Equal(-12345678901234.5678m, reader.GetDecimal(i++));
        Assert.Equal(1.000000000000000000000000001m, reader.GetDecimal(i++));
        Assert.Equal("short", reader.GetString(i++));
        Assert.Equal("this one is longer than twelve bytes", reader.GetString(i++));
        Assert.Equal(new byte[] { 0xAA, 0xBB }, reader.GetBlob(i++));
        var day = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        Assert.Equal(day.AddTicks(1234560), reader.GetDateTime(i++));
        Assert.Equal(day.Date, reader.GetDateTime(i++));
        Assert.Equal(day.AddMilliseconds(123), reader.GetDateTime(i++));
        Assert.Equal(day, reader.GetDateTime(i++));
        Assert.Equal(day.AddTicks(1234560), reader.GetDateTime(i++));
        Assert.Equal(day, reader.GetDateTime(i++));
        Assert.Equal(reader.FieldCount, i);
    }

    [Fact]
    public void nulls_are_seen_per_row_across_chunks()
    {
        using var reader = _connection.Query("""
            SELECT CASE WHEN n % 3 = 0 THEN NULL ELSE n END AS v,
                   CASE WHEN n % 5 = 0 THEN NULL ELSE 'value number ' || n END AS s
            FROM range(10000) t(n) ORDER BY n
            """);
        long rows = 0, nullsV = 0, nullsS = 0;
        while (reader.Read())
        {
            if (reader.IsNull(0))
            {
                nullsV++;
                Assert.Equal(0, rows % 3);
            }
            else
            {
                Assert.Equal(rows, reader.GetInt64(0));
            }
            if (reader.IsNull(1))
            {
                nullsS++;
            }
            else
            {
                Assert.Equal($"value number {rows}", reader.GetString(1));
            }
            rows++;
        }
        Assert.Equal(10000, rows);
        Assert.Equal(10000, reader.RowCount);
        Assert.Equal(3334, nullsV);
        Assert.Equal(2000, nullsS);
    }

    [Fact]
    public void strings_around_the_inline_limit_read_exactly()
    {
        using var reader = _connection.Query("SELECT repeat('é', n) FROM range(0, 40) t(n) ORDER BY n");
        var n = 0;
        while (reader.Read())
        {
            Assert.Equal(new string('é', n), reader.GetString(0));
            Assert.Equal(2 * n, reader.GetBytes(0).Length);
            n++;
        }
        Assert.Equal(40, n);
    }

    [Fact]
    public void sums_over_bigint_come_back_as_hugeint_and_read_as_int64()
    {
        using var reader = _connection.Query("SELECT sum(range) FROM range(1000)");
        Assert.True(reader.Read());
        Assert.Equal(DuckDbType.HugeInt, reader.GetColumnType(0));
        Assert.Equal(499500L, reader.GetInt64(0));
        Assert.Equal(499500.0, reader.GetDouble(0));
    }

    [Fact]
    public void narrowing_that_would_lose_data_throws()
    {
        using var reader = _connection.Query("SELECT 5000000000::BIGINT, -1::INTEGER, 'text'");
        Assert.True(reader.Read());
        Assert.Throws<OverflowException>(() => reader.GetInt32(0));
        Assert.Throws<OverflowException>(() => reader.GetUInt64(1));
        Assert.Throws<InvalidCastException>(() => reader.GetInt64(2));
        Assert.Throws<InvalidCastException>(() => reader.GetString(0));
    }

    [Fact]
    public void getters_need_a_current_row()
    {
        using var reader = _connection.Query("SELECT 1");
        Assert.Throws<InvalidOperationException>(() => reader.GetInt32(0));
        Assert.True(reader.Read());
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.GetInt32(1));
        Assert.False(reader.Read());
        Assert.False(reader.Read());
        Assert.Throws<InvalidOperationException>(() => reader.GetInt32(0));
    }

    [Fact]
    public void empty_result_reads_no_row()
    {
        using var reader = _connection.Query("SELECT * FROM range(10) WHERE range > 100");
        Assert.Equal(0L, reader.RowCount);
        Assert.False(reader.Read());
    }

    [Fact]
    public void constant_columns_over_many_rows_read_every_row()
    {
        using var reader = _connection.Query("SELECT 42 AS k, range FROM range(5000)");
        long sum = 0;
        while (reader.Read())
        {
            sum += reader.GetInt32(0);
        }
        Assert.Equal(42L * 5000, sum);
    }
}

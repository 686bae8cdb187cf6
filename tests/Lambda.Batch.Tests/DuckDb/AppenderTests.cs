using Lambda.DuckDb;

namespace Lambda.Batch.Tests.DuckDb;

public sealed class AppenderTests : IDisposable
{
    private readonly DuckDbDatabase _database = DuckDbDatabase.OpenInMemory();
    private readonly DuckDbConnection _connection;

    public AppenderTests() => _connection = _database.Connect();

    public void Dispose()
    {
        _connection.Dispose();
        _database.Dispose();
    }

    [Fact]
    public void a_million_rows_round_trip_with_counts_and_sums()
    {
        _connection.Execute("""
            CREATE TABLE served (event_id BIGINT, cost_micros UBIGINT, slot INTEGER, score DOUBLE,
                                 campaign_id VARCHAR, payload BLOB, event_time TIMESTAMP)
            """);
        const int Rows = 1_000_000;
        var start = new DateTime(2024, 5, 1, 0, 0, 0, DateTimeKind.Utc);
        long expectedCost = 0;
        double expectedScore = 0;
        using (var appender = _connection.CreateAppender("served"))
        {
            Span<byte> payload = stackalloc byte[4];
            for (var i = 0; i < Rows; i++)
            {
                appender.AppendInt64(i);
                appender.AppendUInt64((ulong)(i % 1000));
                appender.AppendInt32(i % 7);
                appender.AppendDouble(i * 0.5);
                if (i % 10 == 0)
                {
                    appender.AppendNull();
                }
                else
                {
                    appender.AppendVarchar(i % 2 == 0 ? "campaign-even-and-long-name" : "c-odd");
                }
                BitConverter.TryWriteBytes(payload, i);
                appender.AppendBlob(payload);
                appender.AppendTimestamp(start.AddSeconds(i));
                appender.EndRow();
                expectedCost += i % 1000;
                expectedScore += i * 0.5;
            }
            appender.Close();
        }

        using var reader = _connection.Query("""
            SELECT count(*), sum(event_id), sum(cost_micros), sum(slot), sum(score),
                   count(campaign_id), count(*) FILTER (WHERE campaign_id = 'c-odd'),
                   sum(octet_length(payload)), max(event_time), min(event_time)
            FROM served
            """);
        Assert.True(reader.Read());
        Assert.Equal(Rows, reader.GetInt64(0));
        Assert.Equal((long)Rows * (Rows - 1) / 2, reader.GetInt64(1));
        Assert.Equal(expectedCost, reader.GetInt64(2));
        Assert.Equal(Enumerable.Range(0, Rows).Sum(i => (long)(i % 7)), reader.GetInt64(3));
        Assert.Equal(expectedScore, reader.GetDouble(4), 1e-6);
        Assert.Equal(Rows - (Rows / 10), reader.GetInt64(5));
        Assert.Equal(Rows / 2, reader.GetInt64(6));
        Assert.Equal(4L * Rows, reader.GetInt64(7));
        Assert.Equal(start.AddSeconds(Rows - 1), reader.GetDateTime(8));
        Assert.Equal(start, reader.GetDateTime(9));
    }

    [Fact]
    public void every_type_and_null_append_and_read_back()
    {
        _connection.Execute("CREATE TABLE t (b BOOLEAN, i INTEGER, l BIGINT, u UBIGINT, d DOUBLE, s VARCHAR, bl BLOB, ts TIMESTAMP)");
        var time = new DateTime(2030, 12, 31, 23, 59, 59, DateTimeKind.Utc);
        using (var appender = _connection.CreateAppender("t"))
        {
            appender.AppendBoolean(false);
            appender.AppendInt32(-5);
            appender.AppendInt64(long.MinValue);
            appender.AppendUInt64(ulong.MaxValue);
            appender.AppendDouble(double.Epsilon);
            appender.AppendVarchar("'); DROP TABLE t; -- ünïcödé 🚀");
            appender.AppendBlob([]);
            appender.AppendTimestamp(time);
            appender.EndRow();
            for (var c = 0; c < 8; c++)
            {
                appender.AppendNull();
            }
            appender.EndRow();
            appender.AppendNull();
            appender.AppendNull();
            appender.AppendNull();
            appender.AppendNull();
            appender.AppendNull();
            appender.AppendVarchar((string?)null);
            appender.AppendBlob([1]);
            appender.AppendNull();
            appender.EndRow();
        }
        using var reader = _connection.Query("SELECT * FROM t ORDER BY bl NULLS FIRST");
        Assert.True(reader.Read());
        Assert.All(Enumerable.Range(0, 8), c => Assert.True(reader.IsNull(c)));
        Assert.True(reader.Read());
        Assert.False(reader.GetBoolean(0));
        Assert.Equal(-5, reader.GetInt32(1));
        Assert.Equal(long.MinValue, reader.GetInt64(2));
        Assert.Equal(ulong.MaxValue, reader.GetUInt64(3));
        Assert.Equal(double.Epsilon, reader.GetDouble(4));
        Assert.Equal("'); DROP TABLE t; -- ünïcödé 🚀", reader.GetString(5));
        Assert.Empty(reader.GetBlob(6));
        Assert.Equal(time, reader.GetDateTime(7));
        Assert.True(reader.Read());
        Assert.True(reader.IsNull(5));
        Assert.Equal(new byte[] { 1 }, reader.GetBlob(6));
        Assert.False(reader.Read());
    }

    [Fact]
    public void flush_makes_rows_visible_before_close()
    {
        _connection.Execute("CREATE TABLE t (n BIGINT)");
        using var appender = _connection.CreateAppender("t");
        appender.AppendInt64(1);
        appender.EndRow();
        appender.Flush();
        Assert.Equal(1L, _connection.ScalarInt64("SELECT count(*) FROM t"));
    }

    [Fact]
    public void dispose_without_close_still_writes_the_rows()
    {
        _connection.Execute("CREATE TABLE t (n BIGINT)");
        using (var appender = _connection.CreateAppender("t"))
        {
            appender.AppendInt64(9);
            appender.EndRow();
        }
        Assert.Equal(9L, _connection.ScalarInt64("SELECT sum(n) FROM t"));
    }

    [Fact]
    public void appender_in_a_named_schema()
    {
        _connection.Execute("CREATE SCHEMA batch; CREATE TABLE batch.t (n INTEGER)");
        using (var appender = _connection.CreateAppender("t", "batch"))
        {
            appender.AppendInt32(3);
            appender.EndRow();
        }
        Assert.Equal(3L, _connection.ScalarInt64("SELECT sum(n) FROM batch.t"));
    }
}

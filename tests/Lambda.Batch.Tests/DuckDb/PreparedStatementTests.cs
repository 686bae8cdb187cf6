using System.Text;
using Lambda.DuckDb;

namespace Lambda.Batch.Tests.DuckDb;

public sealed class PreparedStatementTests : IDisposable
{
    private readonly DuckDbDatabase _database = DuckDbDatabase.OpenInMemory();
    private readonly DuckDbConnection _connection;

    public PreparedStatementTests()
    {
        _connection = _database.Connect();
        _connection.Execute("""
            CREATE TABLE typed (
                b BOOLEAN, i INTEGER, l BIGINT, u UBIGINT, d DOUBLE, s VARCHAR, bl BLOB, ts TIMESTAMP)
            """);
    }

    public void Dispose()
    {
        _connection.Dispose();
        _database.Dispose();
    }

    [Fact]
    public void every_type_binds_and_reads_back()
    {
        var time = new DateTime(2024, 3, 1, 12, 34, 56, DateTimeKind.Utc).AddTicks(1234560);
        using (var insert = _connection.Prepare("INSERT INTO typed VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"))
        {
            Assert.Equal(8, insert.ParameterCount);
            insert.BindBoolean(1, true);
            insert.BindInt32(2, int.MinValue);
            insert.BindInt64(3, long.MaxValue);
            insert.BindUInt64(4, ulong.MaxValue);
            insert.BindDouble(5, -1.5e300);
            insert.BindVarchar(6, "campaign-42");
            insert.BindBlob(7, [0, 1, 2, 255]);
            insert.BindTimestamp(8, time);
            Assert.Equal(1L, insert.Execute());
        }
        using var reader = _connection.Query("SELECT * FROM typed");
        Assert.True(reader.Read());
        Assert.True(reader.GetBoolean(0));
        Assert.Equal(int.MinValue, reader.GetInt32(1));
        Assert.Equal(long.MaxValue, reader.GetInt64(2));
        Assert.Equal(ulong.MaxValue, reader.GetUInt64(3));
        Assert.Equal(-1.5e300, reader.GetDouble(4));
        Assert.Equal("campaign-42", reader.GetString(5));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, reader.GetBlob(6));
        Assert.Equal(time, reader.GetDateTime(7));
        Assert.Equal(DateTimeKind.Utc, reader.GetDateTime(7).Kind);
        Assert.False(reader.Read());
    }

    [Fact]
    public void null_binds_for_every_column()
    {
        using (var insert = _connection.Prepare("INSERT INTO typed VALUES (?, ?, ?, ?, ?, ?, ?, ?)"))
        {
            for (var i = 1; i <= insert.ParameterCount; i++)
            {
                insert.BindNull(i);
            }
            insert.BindVarchar(6, (string?)null);
            insert.Execute();
        }
        using var reader = _connection.Query("SELECT * FROM typed");
        Assert.True(reader.Read());
        for (var i = 0; i < reader.FieldCount; i++)
        {
            Assert.True(reader.IsNull(i), $"column {i}");
            Assert.Null(reader.GetValue(i));
        }
        Assert.Throws<InvalidOperationException>(() => reader.GetInt64(2));
    }

    [Theory]
    [InlineData("it's a \"quoted\" value")]
    [InlineData("'); DROP TABLE typed; --")]
    [InlineData("ünïcödé — 日本語 — 🚀")]
    [InlineData("")]
    [InlineData("a string longer than twelve bytes, stored out of line")]
    public void strings_are_stored_literally(string value)
    {
        using (var insert = _connection.Prepare("INSERT INTO typed (s) VALUES ($1)"))
        {
            insert.BindVarchar(1, value);
            insert.Execute();
        }
        using var select = _connection.Prepare("SELECT s, octet_length(encode(s)) FROM typed WHERE s = $1");
        select.BindVarchar(1, value);
        using var reader = select.Query();
        Assert.True(reader.Read());
        Assert.Equal(value, reader.GetString(0));
        Assert.Equal(Encoding.UTF8.GetByteCount(value), reader.GetInt64(1));
        Assert.Equal(1L, _connection.ScalarInt64("SELECT count(*) FROM typed"));
    }

    [Fact]
    public void long_strings_beyond_the_stack_buffer_bind()
    {
        var value = new string('x', 100_000) + "✓";
        using var select = _connection.Prepare("SELECT length($1), $1");
        select.BindVarchar(1, value);
        using var reader = select.Query();
        Assert.True(reader.Read());
        Assert.Equal(value.Length, reader.GetInt64(0));
        Assert.Equal(value, reader.GetString(1));
    }

    [Fact]
    public void utf8_bytes_and_empty_blob_bind_without_conversion()
    {
        using var select = _connection.Prepare("SELECT $1::VARCHAR, octet_length($2::BLOB)");
        select.BindVarchar(1, "héllo"u8);
        select.BindBlob(2, ReadOnlySpan<byte>.Empty);
        using var reader = select.Query();
        Assert.True(reader.Read());
        Assert.Equal("héllo", reader.GetString(0));
        Assert.Equal(0L, reader.GetInt64(1));
    }

    [Fact]
    public void a_statement_reexecutes_with_new_bindings()
    {
        using var insert = _connection.Prepare("INSERT INTO typed (l) VALUES ($1)");
        for (var i = 1; i <= 10; i++)
        {
            insert.BindInt64(1, i);
            insert.Execute();
        }
        Assert.Equal(55L, _connection.ScalarInt64("SELECT sum(l) FROM typed"));
    }

    [Fact]
    public void execute_reports_rows_changed()
    {
        _connection.Execute("INSERT INTO typed (l) SELECT range FROM range(20)");
        using var delete = _connection.Prepare("DELETE FROM typed WHERE l < $1");
        delete.BindInt64(1, 5);
        Assert.Equal(5L, delete.Execute());
    }

    [Fact]
    public void parameter_index_out_of_range_is_rejected()
    {
        using var select = _connection.Prepare("SELECT $1");
        Assert.Throws<ArgumentOutOfRangeException>(() => select.BindInt32(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => select.BindInt32(2, 1));
    }

    [Fact]
    public void missing_binding_fails_with_duckdbs_message()
    {
        using var select = _connection.Prepare("SELECT $1 + $2");
        select.BindInt32(1, 1);
        var error = Assert.Throws<DuckDbException>(() => select.Query());
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void clear_bindings_forgets_values()
    {
        using var select = _connection.Prepare("SELECT $1::INTEGER");
        select.BindInt32(1, 7);
        using (var reader = select.Query())
        {
            Assert.True(reader.Read());
            Assert.Equal(7, reader.GetInt32(0));
        }
        select.ClearBindings();
        Assert.Throws<DuckDbException>(() => select.Query());
    }

    [Fact]
    public void bad_sql_fails_to_prepare_with_duckdbs_message()
    {
        var error = Assert.Throws<DuckDbException>(() => _connection.Prepare("SELEC 1"));
        Assert.Contains("syntax error", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}

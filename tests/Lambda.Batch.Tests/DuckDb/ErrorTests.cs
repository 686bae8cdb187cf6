using Lambda.DuckDb;

namespace Lambda.Batch.Tests.DuckDb;

public sealed class ErrorTests : IDisposable
{
    private readonly DuckDbDatabase _database = DuckDbDatabase.OpenInMemory();
    private readonly DuckDbConnection _connection;

    public ErrorTests()
    {
        _connection = _database.Connect();
        _connection.Execute("CREATE TABLE metrics (campaign_id VARCHAR, clicks INTEGER)");
    }

    public void Dispose()
    {
        _connection.Dispose();
        _database.Dispose();
    }

    [Fact]
    public void bad_sql_carries_duckdbs_parser_message()
    {
        var error = Assert.Throws<DuckDbException>(() => _connection.Execute("SELEKT * FROM metrics"));
        Assert.Contains("syntax error", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("SELEKT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void missing_table_carries_duckdbs_catalog_message()
    {
        var error = Assert.Throws<DuckDbException>(() => _connection.Query("SELECT * FROM no_such_table"));
        Assert.Contains("no_such_table", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void appender_for_missing_table_carries_duckdbs_message()
    {
        var error = Assert.Throws<DuckDbException>(() => _connection.CreateAppender("no_such_table"));
        Assert.Contains("no_such_table", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void appender_type_mismatch_carries_the_appenders_message()
    {
        using var appender = _connection.CreateAppender("metrics");
        appender.AppendVarchar("c1");
        var error = Assert.Throws<DuckDbException>(() => appender.AppendVarchar("not a number"));
        Assert.Contains("not a number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void appender_row_with_too_few_values_is_refused()
    {
        using var appender = _connection.CreateAppender("metrics");
        appender.AppendVarchar("c1");
        var error = Assert.Throws<DuckDbException>(appender.EndRow);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void appender_row_with_too_many_values_is_refused()
    {
        using var appender = _connection.CreateAppender("metrics");
        appender.AppendVarchar("c1");
        appender.AppendInt32(1);
        var error = Assert.Throws<DuckDbException>(() => appender.AppendInt32(2));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void constraint_violation_at_close_carries_duckdbs_message()
    {
        _connection.Execute("CREATE TABLE keyed (id INTEGER PRIMARY KEY)");
        using var appender = _connection.CreateAppender("keyed");
        appender.AppendInt32(1);
        appender.EndRow();
        appender.AppendInt32(1);
        appender.EndRow();
        var error = Assert.Throws<DuckDbException>(appender.Close);
        Assert.Contains("key", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void a_failed_query_leaves_the_connection_usable()
    {
        Assert.Throws<DuckDbException>(() => _connection.Execute("INSERT INTO metrics VALUES ('c', 'x')"));
        _connection.Execute("INSERT INTO metrics VALUES ('c', 1)");
        Assert.Equal(1L, _connection.ScalarInt64("SELECT count(*) FROM metrics"));
    }
}

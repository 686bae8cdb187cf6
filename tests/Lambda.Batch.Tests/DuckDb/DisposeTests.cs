using Lambda.DuckDb;

namespace Lambda.Batch.Tests.DuckDb;

public sealed class DisposeTests
{
    [Fact]
    public void disposing_the_database_first_keeps_open_connections_working()
    {
        var database = DuckDbDatabase.OpenInMemory();
        var connection = database.Connect();
        database.Dispose();
        Assert.Equal(1L, connection.ScalarInt64("SELECT 1"));
        Assert.Throws<ObjectDisposedException>(database.Connect);
        connection.Dispose();
    }

    [Fact]
    public void disposing_the_connection_first_keeps_open_children_working()
    {
        using var database = DuckDbDatabase.OpenInMemory();
        var connection = database.Connect();
        connection.Execute("CREATE TABLE t (n BIGINT)");
        var reader = connection.Query("SELECT range FROM range(5000)");
        var statement = connection.Prepare("SELECT $1::BIGINT * 2");
        var appender = connection.CreateAppender("t");
        connection.Dispose();

        long sum = 0;
        while (reader.Read())
        {
            sum += reader.GetInt64(0);
        }
        Assert.Equal(4999L * 5000 / 2, sum);
        statement.BindInt64(1, 21);
        using (var doubled = statement.Query())
        {
            Assert.True(doubled.Read());
            Assert.Equal(42L, doubled.GetInt64(0));
        }
        appender.AppendInt64(1);
        appender.EndRow();
        appender.Close();

        Assert.Throws<ObjectDisposedException>(() => connection.Query("SELECT 1"));
        appender.Dispose();
        statement.Dispose();
        reader.Dispose();
    }

    [Fact]
    public void file_database_reopens_after_everything_is_disposed_in_any_order()
    {
        using var dir = new TempDirectory();
        var path = dir.File("order.duckdb");
        var database = DuckDbDatabase.Open(path);
        var connection = database.Connect();
        connection.Execute("CREATE TABLE t AS SELECT 7 AS n");
        var reader = connection.Query("SELECT n FROM t");
        database.Dispose();
        connection.Dispose();
        reader.Dispose();

        // The file lock is released only when the last child closed; reopening proves it was.
        using var reopened = DuckDbDatabase.Open(path);
        using var again = reopened.Connect();
        Assert.Equal(7L, again.ScalarInt64("SELECT n FROM t"));
    }

    [Fact]
    public void double_dispose_is_harmless_and_use_after_dispose_throws()
    {
        var database = DuckDbDatabase.OpenInMemory();
        var connection = database.Connect();
        connection.Execute("CREATE TABLE t (n INTEGER)");
        var statement = connection.Prepare("SELECT 1");
        var reader = connection.Query("SELECT 1");
        var appender = connection.CreateAppender("t");

        foreach (var disposable in new IDisposable[] { appender, reader, statement, connection, database })
        {
            disposable.Dispose();
            disposable.Dispose();
        }

        Assert.Throws<ObjectDisposedException>(() => appender.AppendInt32(1));
        Assert.Throws<ObjectDisposedException>(() => reader.Read());
        Assert.Throws<ObjectDisposedException>(() => statement.Execute());
        Assert.Throws<ObjectDisposedException>(() => connection.Execute("SELECT 1"));
    }

    [Fact]
    public void readers_left_to_the_finalizer_do_not_break_the_database()
    {
        using var database = DuckDbDatabase.OpenInMemory();
        using var connection = database.Connect();
        LeakReaders(connection);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.Equal(3L, connection.ScalarInt64("SELECT 3"));
    }

    private static void LeakReaders(DuckDbConnection connection)
    {
        for (var i = 0; i < 10; i++)
        {
            var reader = connection.Query("SELECT range FROM range(3000)");
            reader.Read();
        }
    }
}

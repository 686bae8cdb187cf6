using Lambda.DuckDb;

namespace Lambda.Batch.Tests.DuckDb;

public sealed class DatabaseTests
{
    [Fact]
    public void loaded_library_is_the_pinned_version()
    {
        Assert.StartsWith("v1.5.6", DuckDbDatabase.LibraryVersion, StringComparison.Ordinal);
    }

    [Fact]
    public void in_memory_database_runs_ddl_and_queries()
    {
        using var database = DuckDbDatabase.OpenInMemory();
        using var connection = database.Connect();
        connection.Execute("CREATE TABLE campaigns (id VARCHAR, budget BIGINT); INSERT INTO campaigns VALUES ('c1', 10), ('c2', 32)");
        Assert.Equal(42L, connection.ScalarInt64("SELECT sum(budget) FROM campaigns"));
        Assert.Null(database.Path);
    }

    [Fact]
    public void in_memory_databases_are_private()
    {
        using var first = DuckDbDatabase.OpenInMemory();
        using var second = DuckDbDatabase.OpenInMemory();
        using var a = first.Connect();
        using var b = second.Connect();
        a.Execute("CREATE TABLE only_here (x INTEGER)");
        var error = Assert.Throws<DuckDbException>(() => b.Execute("SELECT * FROM only_here"));
        Assert.Contains("only_here", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void file_database_keeps_data_across_reopen()
    {
        using var dir = new TempDirectory();
        var path = dir.File("batch.duckdb");
        using (var database = DuckDbDatabase.Open(path))
        using (var connection = database.Connect())
        {
            connection.Execute("CREATE TABLE views (n BIGINT); INSERT INTO views SELECT range FROM range(100)");
        }
        Assert.True(File.Exists(path));
        using (var database = DuckDbDatabase.Open(path))
        using (var connection = database.Connect())
        {
            Assert.Equal(4950L, connection.ScalarInt64("SELECT sum(n) FROM views"));
        }
    }

    [Fact]
    public void options_reach_duckdb_configuration()
    {
        var options = new DuckDbOptions
        {
            Threads = 2,
            MemoryLimit = "512MB",
            Settings = new Dictionary<string, string> { ["default_order"] = "DESC" },
        };
        using var database = DuckDbDatabase.OpenInMemory(options);
        using var connection = database.Connect();
        Assert.Equal(2L, connection.ScalarInt64("SELECT current_setting('threads')"));
        // 512 MB = 488.2 MiB, as the pinned library prints it
        Assert.Equal("488.2 MiB", connection.Scalar("SELECT current_setting('memory_limit')"));
        Assert.Equal("desc", ((string)connection.Scalar("SELECT current_setting('default_order')")!).ToLowerInvariant());
    }

    [Fact]
    public void unknown_option_is_rejected_with_its_name()
    {
        var options = new DuckDbOptions { Settings = new Dictionary<string, string> { ["no_such_knob"] = "1" } };
        var error = Assert.Throws<DuckDbException>(() => DuckDbDatabase.OpenInMemory(options));
        Assert.Contains("no_such_knob", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void threads_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DuckDbOptions { Threads = 0 });
    }

    [Fact]
    public void opening_a_directory_as_a_database_fails_with_duckdbs_message()
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<DuckDbException>(() => DuckDbDatabase.Open(dir.Path));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void several_connections_work_from_several_threads()
    {
        using var database = DuckDbDatabase.OpenInMemory();
        using (var setup = database.Connect())
        {
            setup.Execute("CREATE TABLE numbers AS SELECT range AS n FROM range(10000)");
        }
        var sums = new long[4];
        Parallel.For(0, sums.Length, i =>
        {
            using var connection = database.Connect();
            sums[i] = connection.ScalarInt64($"SELECT sum(n) FROM numbers WHERE n % 4 = {i}");
        });
        Assert.Equal(Enumerable.Range(0, 10000).Sum(n => (long)n), sums.Sum());
    }
}

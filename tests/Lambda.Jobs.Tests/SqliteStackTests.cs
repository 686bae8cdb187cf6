using Microsoft.Data.Sqlite;

namespace Lambda.Jobs.Tests;

/// <summary>
/// One SQLite stack in the process: the view store's Microsoft.Data.Sqlite and the schedule's sqlite-net
/// (under Hangfire.Storage.SQLite) run on the same SQLitePCLRaw 3 and the same native SQLite, the one
/// Directory.Packages.props pins. Before the pins, sqlite-net brought SQLitePCLRaw 3.0 and Hangfire's
/// bundle_green the 2.1 natives, beside Microsoft.Data.Sqlite's 2.1 bundle.
/// </summary>
public sealed class SqliteStackTests
{
    private const string PinnedSqlite = "3.53.4";

    [Fact]
    public void the_view_store_and_the_schedule_run_on_one_sqlite_library()
    {
        using var views = new SqliteConnection("Data Source=:memory:");
        views.Open();
        using var version = views.CreateCommand();
        version.CommandText = "SELECT sqlite_version()";
        using var schedule = new SQLite.SQLiteConnection(":memory:");

        Assert.Equal(PinnedSqlite, version.ExecuteScalar());
        Assert.Equal(PinnedSqlite, schedule.ExecuteScalar<string>("SELECT sqlite_version()"));
        Assert.Equal(3, typeof(SQLitePCL.raw).Assembly.GetName().Version!.Major);
        Assert.Equal(3, typeof(SQLitePCL.Batteries_V2).Assembly.GetName().Version!.Major);
    }
}

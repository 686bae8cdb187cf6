using Lambda.SharedModel.Views;
using Lambda.Store.Sqlite;

namespace Lambda.Store.Tests;

/// <summary>The view store contract on a SQLite file in a fresh temporary directory.</summary>
public sealed class SqliteViewStoreContractTests : ViewStoreContract
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "lambda-store-" + Guid.NewGuid().ToString("N"));

    protected override Task PrepareAsync()
    {
        Directory.CreateDirectory(_directory);
        return Task.CompletedTask;
    }

    protected override IViewStore NewStore() => new SqliteViewStore(Path.Combine(_directory, "views.db"));

    protected override Task CleanUpAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task the_database_is_in_wal_mode_after_initialize()
    {
        await using var store = new SqliteViewStore(Path.Combine(_directory, "views.db"));
        await store.InitializeAsync();

        Assert.True(File.Exists(Path.Combine(_directory, "views.db-wal")));
    }
}

using Lambda.SharedModel.Jobs;
using Lambda.Store.Sqlite;

namespace Lambda.Store.Tests;

/// <summary>The job history contract on a SQLite file, beside the view store's tables.</summary>
public sealed class SqliteJobHistoryStoreContractTests : JobHistoryStoreContract
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "lambda-jobs-" + Guid.NewGuid().ToString("N"));

    protected override async Task PrepareAsync()
    {
        Directory.CreateDirectory(_directory);
        // The history lives in the view store's database: create its schema first, as the host does.
        await using var views = new SqliteViewStore(DatabasePath);
        await views.InitializeAsync();
    }

    protected override IJobHistoryStore NewStore() => new SqliteJobHistoryStore(DatabasePath);

    protected override Task CleanUpAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    private string DatabasePath => Path.Combine(_directory, "views.db");
}

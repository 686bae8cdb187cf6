using Lambda.SharedModel.Access;
using Lambda.Store.Sqlite;

namespace Lambda.Store.Tests;

/// <summary>The API key store contract on a SQLite file, beside the view store's tables.</summary>
public sealed class SqliteApiKeyStoreContractTests : ApiKeyStoreContract
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "lambda-keys-" + Guid.NewGuid().ToString("N"));

    protected override async Task PrepareAsync()
    {
        Directory.CreateDirectory(_directory);
        // The keys live in the view store's database: create its schema first, as the host does.
        await using var views = new SqliteViewStore(DatabasePath);
        await views.InitializeAsync();
    }

    protected override IApiKeyStore NewStore() => new SqliteApiKeyStore(DatabasePath);

    protected override Task CleanUpAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    private string DatabasePath => Path.Combine(_directory, "views.db");
}

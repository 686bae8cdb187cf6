using Lambda.SharedModel.Views;
using Lambda.Store.Postgres;
using Npgsql;

namespace Lambda.Store.Tests;

/// <summary>
/// The view store contract on PostgreSQL, in a schema of its own that is dropped afterwards. The
/// server comes from LAMBDA_PG (infra/setup.d/postgres.sh sets up the default one); without a
/// server the tests skip, or fail when CI is set.
/// </summary>
public sealed class PostgresViewStoreContractTests : ViewStoreContract
{
    private const string DefaultConnectionString = "Host=127.0.0.1;Username=lambda;Password=lambda;Database=lambda_test";

    private readonly string _connectionString =
        Environment.GetEnvironmentVariable("LAMBDA_PG") is { Length: > 0 } configured ? configured : DefaultConnectionString;

    private readonly string _schema = "lambda_test_" + Guid.NewGuid().ToString("N")[..12];

    protected override async Task PrepareAsync()
    {
        try
        {
            var probe = new NpgsqlConnectionStringBuilder(_connectionString) { Timeout = 5 };
            await using var connection = new NpgsqlConnection(probe.ConnectionString);
            await connection.OpenAsync();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or ArgumentException)
        {
            Unavailable = $"PostgreSQL is not reachable with LAMBDA_PG or the default " +
                $"({DefaultConnectionString}); run infra/setup.d/postgres.sh. {e.GetType().Name}: {e.Message}";
        }
    }

    protected override IViewStore NewStore() => new PostgresViewStore(_connectionString, _schema);

    protected override async Task CleanUpAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }

    [SkippableFact]
    public async Task concurrent_initialization_of_one_schema_succeeds()
    {
        _ = Store;
        var schema = _schema + "_c";
        var stores = Enumerable.Range(0, 4).Select(_ => new PostgresViewStore(_connectionString, schema)).ToArray();
        try
        {
            await Task.WhenAll(stores.Select(s => s.InitializeAsync()));
            await stores[0].UpsertCampaignsAsync([new CampaignInfo("c1", "a1")]);
            Assert.Equal(new CampaignInfo("c1", "a1"), await stores[3].GetCampaignAsync("c1"));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}

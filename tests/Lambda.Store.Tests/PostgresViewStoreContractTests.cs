using Lambda.SharedModel.Views;
using Lambda.Store.Postgres;

namespace Lambda.Store.Tests;

/// <summary>
/// The view store contract on PostgreSQL, in a schema of its own that is dropped afterwards. The
/// server comes from LAMBDA_PG (infra/setup.d/postgres.sh sets up the default one); without a
/// server the tests skip, or fail when CI is set.
/// </summary>
public sealed class PostgresViewStoreContractTests : ViewStoreContract
{
    private readonly string _connectionString = PostgresTestServer.ConnectionString;

    private readonly string _schema = PostgresTestServer.NewSchema("lambda_test_");

    protected override async Task PrepareAsync() => Unavailable = await PostgresTestServer.ProbeAsync();

    protected override IViewStore NewStore() => new PostgresViewStore(_connectionString, _schema);

    protected override Task CleanUpAsync() => PostgresTestServer.DropSchemaAsync(_schema);

    [SkippableFact]
    public async Task concurrent_initialization_of_one_schema_succeeds()
    {
        _ = Store;
        var schema = _schema + "_c";
        var stores = Enumerable.Range(0, 4).Select(_ => new PostgresViewStore(_connectionString, schema)).ToArray();
        try
        {
            await Task.WhenAll(stores.Select(s => s.InitializeAsync()));
            await stores[0].ClaimCampaignsAsync([new CampaignInfo("c1", "a1")]);
            Assert.Equal(new CampaignInfo("c1", "a1"), await stores[3].GetCampaignAsync("c1"));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
            await PostgresTestServer.DropSchemaAsync(schema);
        }
    }
}

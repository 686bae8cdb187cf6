using Lambda.SharedModel.Access;
using Lambda.Store.Postgres;

namespace Lambda.Store.Tests;

/// <summary>The API key store contract on PostgreSQL, in a schema of its own that is dropped afterwards.</summary>
public sealed class PostgresApiKeyStoreContractTests : ApiKeyStoreContract
{
    private readonly string _connectionString = PostgresTestServer.ConnectionString;

    private readonly string _schema = PostgresTestServer.NewSchema("lambda_keys_");

    protected override async Task PrepareAsync() => Unavailable = await PostgresTestServer.ProbeAsync();

    protected override IApiKeyStore NewStore() => new PostgresApiKeyStore(_connectionString, _schema);

    protected override Task CleanUpAsync() => PostgresTestServer.DropSchemaAsync(_schema);
}

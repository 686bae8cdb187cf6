using Lambda.SharedModel.Jobs;
using Lambda.Store.Postgres;

namespace Lambda.Store.Tests;

/// <summary>The job history contract on PostgreSQL, in a schema of its own that is dropped afterwards.</summary>
public sealed class PostgresJobHistoryStoreContractTests : JobHistoryStoreContract
{
    private readonly string _connectionString = PostgresTestServer.ConnectionString;

    private readonly string _schema = PostgresTestServer.NewSchema("lambda_jobs_");

    protected override async Task PrepareAsync() => Unavailable = await PostgresTestServer.ProbeAsync();

    protected override IJobHistoryStore NewStore() => new PostgresJobHistoryStore(_connectionString, _schema);

    protected override Task CleanUpAsync() => PostgresTestServer.DropSchemaAsync(_schema);
}

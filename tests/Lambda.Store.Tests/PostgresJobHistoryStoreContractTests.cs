using Lambda.SharedModel.Jobs;
using Lambda.Store.Postgres;
using Npgsql;

namespace Lambda.Store.Tests;

/// <summary>The job history contract on PostgreSQL, in a schema of its own that is dropped afterwards.</summary>
public sealed class PostgresJobHistoryStoreContractTests : JobHistoryStoreContract
{
    private const string DefaultConnectionString = "Host=127.0.0.1;Username=lambda;Password=lambda;Database=lambda_test";

    private readonly string _connectionString =
        Environment.GetEnvironmentVariable("LAMBDA_PG") is { Length: > 0 } configured ? configured : DefaultConnectionString;

    private readonly string _schema = "lambda_jobs_" + Guid.NewGuid().ToString("N")[..12];

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

    protected override IJobHistoryStore NewStore() => new PostgresJobHistoryStore(_connectionString, _schema);

    protected override async Task CleanUpAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

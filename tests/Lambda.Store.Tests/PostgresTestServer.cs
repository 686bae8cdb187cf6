using Npgsql;

namespace Lambda.Store.Tests;

/// <summary>
/// The PostgreSQL server the store tests run against: LAMBDA_PG, or the default one that
/// infra/setup.d/postgres.sh sets up. Each test class works in a schema of its own and drops it.
/// </summary>
internal static class PostgresTestServer
{
    public const string DefaultConnectionString = "Host=127.0.0.1;Username=lambda;Password=lambda;Database=lambda_test";

    public static string ConnectionString { get; } =
        Environment.GetEnvironmentVariable("LAMBDA_PG") is { Length: > 0 } configured ? configured : DefaultConnectionString;

    /// <summary>A fresh schema name with the given prefix.</summary>
    public static string NewSchema(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Null if the server answers, otherwise why it cannot be used.</summary>
    public static async Task<string?> ProbeAsync()
    {
        try
        {
            var probe = new NpgsqlConnectionStringBuilder(ConnectionString) { Timeout = 5 };
            await using var connection = new NpgsqlConnection(probe.ConnectionString);
            await connection.OpenAsync();
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or ArgumentException)
        {
            return $"PostgreSQL is not reachable with LAMBDA_PG or the default " +
                $"({DefaultConnectionString}); run infra/setup.d/postgres.sh. {e.GetType().Name}: {e.Message}";
        }
    }

    public static async Task DropSchemaAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

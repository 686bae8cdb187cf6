using BenchmarkDotNet.Attributes;
using Lambda.SharedModel.Views;
using Lambda.Store.Postgres;
using Npgsql;

namespace Lambda.Benchmarks.Store;

/// <summary>
/// The view store benchmarks on PostgreSQL (LAMBDA_PG, or the server of infra/setup.d/postgres.sh),
/// in a schema of their own that is dropped afterwards.
/// </summary>
public class PostgresViewStoreBenchmarks : ViewStoreBenchmark
{
    private readonly string _connectionString = Environment.GetEnvironmentVariable("LAMBDA_PG") is { Length: > 0 } configured
        ? configured
        : "Host=127.0.0.1;Username=lambda;Password=lambda;Database=lambda_test";

    private readonly string _schema = "lambda_bench_" + Guid.NewGuid().ToString("N")[..12];
    private NpgsqlDataSource _dataSource = null!;

    protected override async Task<IViewStore> OpenStoreAsync()
    {
        _dataSource = new NpgsqlDataSourceBuilder(_connectionString) { ConnectionStringBuilder = { MaxAutoPrepare = 32 } }.Build();
        var store = new PostgresViewStore(_dataSource, _schema);
        await store.InitializeAsync();
        return store;
    }

    protected override async Task CleanUpAsync()
    {
        await using (var drop = _dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE"))
        {
            await drop.ExecuteNonQueryAsync();
        }
        await _dataSource.DisposeAsync();
    }

    /// <summary>Physical reference: SELECT 1 on a pooled connection of the same data source, as the store uses.</summary>
    [Benchmark(Description = "reference: SELECT 1 on a pooled connection")]
    public async Task<object?> SelectOneRoundTrip()
    {
        await using var command = _dataSource.CreateCommand("SELECT 1");
        return await command.ExecuteScalarAsync();
    }
}

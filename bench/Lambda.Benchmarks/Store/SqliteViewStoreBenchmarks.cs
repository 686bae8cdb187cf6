using BenchmarkDotNet.Attributes;
using Lambda.SharedModel.Views;
using Lambda.Store.Sqlite;
using Microsoft.Data.Sqlite;

namespace Lambda.Benchmarks.Store;

/// <summary>The view store benchmarks on a SQLite file in a temporary directory.</summary>
public class SqliteViewStoreBenchmarks : ViewStoreBenchmark
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "lambda-store-bench-" + Guid.NewGuid().ToString("N"));
    private SqliteConnection _reference = null!;
    private SqliteCommand _selectOne = null!;

    protected override async Task<IViewStore> OpenStoreAsync()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "views.db");
        var store = new SqliteViewStore(path);
        await store.InitializeAsync();
        _reference = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path }.ToString());
        _reference.Open();
        _selectOne = _reference.CreateCommand();
        _selectOne.CommandText = "SELECT 1";
        _selectOne.Prepare();
        return store;
    }

    protected override Task CleanUpAsync()
    {
        _selectOne.Dispose();
        _reference.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Physical reference: a prepared SELECT 1 on an open connection to the same file.</summary>
    [Benchmark(Description = "reference: SELECT 1 on an open connection")]
    public object? SelectOneRoundTrip() => _selectOne.ExecuteScalar();
}

using Lambda.Batch.Recompute;
using Lambda.DuckDb;
using Lambda.SharedModel.Views;
using Lambda.Store.Sqlite;

namespace Lambda.Batch.Tests.Recompute.Fixtures;

/// <summary>A data directory in a temp folder with a SQLite view store: the batch layer's world in a test.</summary>
public sealed class BatchTestBed : IAsyncDisposable
{
    private BatchTestBed(string dataDirectory, SqliteViewStore store)
    {
        DataDirectory = dataDirectory;
        Store = store;
    }

    public string DataDirectory { get; }
    public SqliteViewStore Store { get; }
    public BatchPaths Paths => new(DataDirectory);
    public string MasterRoot => Paths.MasterRoot;

    public static async Task<BatchTestBed> CreateAsync(string? dataDirectory = null)
    {
        var directory = dataDirectory ?? Directory.CreateTempSubdirectory("lambda-batch-").FullName;
        var store = new SqliteViewStore(Path.Combine(directory, "views.db"));
        await store.InitializeAsync();
        return new BatchTestBed(directory, store);
    }

    public RecomputeOptions Options(int keepVersions = 7) => new()
    {
        DataDirectory = DataDirectory,
        KeepVersions = keepVersions,
        Threads = 2,
        StoreChunkRows = 2_000,
    };

    public Task<RecomputeResult> RecomputeAsync(bool full = false, int keepVersions = 7, IReadOnlyList<DateOnly>? dates = null) =>
        new BatchRecomputer(Store, Options(keepVersions)).RunAsync(new RecomputeRequest(full, dates));

    /// <summary>Every row of a version's files, keyed by granularity, campaign and bucket.</summary>
    public Dictionary<(string Granularity, string Campaign, long Bucket), BatchViewRow> FileRows(long versionId)
    {
        using var db = DuckDbDatabase.OpenInMemory();
        using var connection = db.Connect();
        var rows = new Dictionary<(string, string, long), BatchViewRow>();
        foreach (var granularity in BatchViewFiles.Granularities)
        {
            foreach (var row in BatchViewFiles.ReadRows(connection, Paths.VersionDirectory(versionId), granularity, long.MinValue, long.MaxValue))
            {
                rows.Add((granularity, row.CampaignId, row.BucketStartMs), row);
            }
        }

        return rows;
    }

    /// <summary>Every row of a version in the store, read campaign by campaign.</summary>
    public async Task<Dictionary<(string Granularity, string Campaign, long Bucket), BatchViewRow>> StoreRowsAsync(long versionId, IEnumerable<string> campaigns)
    {
        var rows = new Dictionary<(string, string, long), BatchViewRow>();
        foreach (var campaign in campaigns.Distinct())
        {
            foreach (var granularity in BatchViewFiles.Granularities)
            {
                foreach (var row in await Store.ReadBatchRowsAsync(versionId, campaign, granularity, long.MinValue, long.MaxValue))
                {
                    rows.Add((granularity, row.CampaignId, row.BucketStartMs), row);
                }
            }
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(DataDirectory, recursive: true);
    }
}

using Lambda.SharedModel.Views;
using Lambda.Store.Sqlite;

namespace Lambda.Store.Tests;

/// <summary>The view store contract on a SQLite file in a fresh temporary directory.</summary>
public sealed class SqliteViewStoreContractTests : ViewStoreContract
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "lambda-store-" + Guid.NewGuid().ToString("N"));

    protected override Task PrepareAsync()
    {
        Directory.CreateDirectory(_directory);
        return Task.CompletedTask;
    }

    protected override IViewStore NewStore() => new SqliteViewStore(Path.Combine(_directory, "views.db"));

    protected override Task CleanUpAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task the_database_is_in_wal_mode_after_initialize()
    {
        await using var store = new SqliteViewStore(Path.Combine(_directory, "views.db"));
        await store.InitializeAsync();

        Assert.True(File.Exists(Path.Combine(_directory, "views.db-wal")));
    }

    [Fact]
    public async Task a_store_made_before_owner_pairs_and_the_new_counters_is_upgraded_in_place()
    {
        var path = Path.Combine(_directory, "old.db");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + path))
        {
            connection.Open();
            using var ddl = connection.CreateCommand();
            // The two tables as the previous release made them, with a row each.
            ddl.CommandText = """
                CREATE TABLE campaigns (campaign_id TEXT NOT NULL PRIMARY KEY, advertiser_id TEXT NOT NULL) WITHOUT ROWID;
                INSERT INTO campaigns VALUES ('c1', 'a1');
                CREATE TABLE speed_partition_status (
                    log_partition INTEGER NOT NULL PRIMARY KEY, owner TEXT NOT NULL, watermark_ms INTEGER NOT NULL,
                    lag INTEGER NOT NULL, events_per_second REAL NOT NULL, processed INTEGER NOT NULL,
                    bot_filtered INTEGER NOT NULL, late INTEGER NOT NULL, unattributed INTEGER NOT NULL,
                    duplicates INTEGER NOT NULL, dead_lettered INTEGER NOT NULL, updated_at_us INTEGER NOT NULL);
                INSERT INTO speed_partition_status VALUES (0, 'w', 1, 0, 0, 10, 0, 0, 0, 0, 3, 0);
                """;
            ddl.ExecuteNonQuery();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using var store = new SqliteViewStore(path);
        await store.InitializeAsync();
        await store.InitializeAsync();

        Assert.Equal([new CampaignInfo("c1", "a1")], await store.ReadCampaignOwnersAsync());
        Assert.Equal((10L, 3L, 0L, 0L), Assert.Single(await store.ListPartitionStatusAsync()) is var s ? (s.Processed, s.DeadLettered, s.OwnerMismatched, s.FutureDated) : default);
        await store.UpsertPartitionStatusAsync([new SpeedPartitionStatus(0, "w", 1, 0, 0, 12, 0, 0, 0, 0, 5, DateTimeOffset.UnixEpoch, 1, 1)]);
        Assert.Equal((5L, 1L, 1L), Assert.Single(await store.ListPartitionStatusAsync()) is var t ? (t.DeadLettered, t.OwnerMismatched, t.FutureDated) : default);
    }
}

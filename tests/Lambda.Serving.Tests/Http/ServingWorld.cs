using Lambda.Log.Embedded;
using Lambda.SharedModel.Access;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Views;
using Lambda.Store.Sqlite;

namespace Lambda.Serving.Tests.Http;

/// <summary>
/// A real SQLite store, key store and embedded log in a temp directory, seeded around a batch
/// watermark W = D 10:00: campaign camp-a (advertiser adv-a) has batch minutes of 10 impressions
/// over 08:00-09:59 of day D and one of 5 at D-1 12:00, and speed minutes of 1 impression in each of
/// two partitions over 09:00-11:59 (09:xx overlaps the batch on purpose). camp-a2 is adv-a's too;
/// camp-b belongs to adv-b.
/// </summary>
public sealed class ServingWorld : IAsyncDisposable
{
    public const long D = 1_795_392_000_000; // 2026-11-23T00:00:00Z
    public const long H = 3_600_000;
    public const long M = 60_000;
    public const long W = D + (10 * H);

    private ServingWorld(string directory, SqliteViewStore store, SqliteApiKeyStore keys, EmbeddedEventLog log)
    {
        Directory_ = directory;
        Store = store;
        Keys = keys;
        Log = log;
    }

    public string Directory_ { get; }

    public SqliteViewStore Store { get; }

    public SqliteApiKeyStore Keys { get; }

    public EmbeddedEventLog Log { get; }

    public string AdminKey { get; private set; } = "";

    public string AdvertiserAKey { get; private set; } = "";

    public string AdvertiserBKey { get; private set; } = "";

    public string RevokedKey { get; private set; } = "";

    public static async Task<ServingWorld> CreateAsync(bool seed = true)
    {
        var directory = Path.Combine(Path.GetTempPath(), "lambda-serving-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var store = new SqliteViewStore(Path.Combine(directory, "views.db"));
        await store.InitializeAsync();
        var keys = new SqliteApiKeyStore(Path.Combine(directory, "views.db"));
        await keys.InitializeAsync();
        var log = EmbeddedEventLog.Open(new EmbeddedLogOptions { RootPath = Path.Combine(directory, "log"), DefaultPartitions = 2 });
        foreach (var topic in Topics.All)
        {
            await log.CreateTopicAsync(topic, 2);
        }
        var world = new ServingWorld(directory, store, keys, log);
        world.AdminKey = await world.NewKeyAsync(null);
        world.AdvertiserAKey = await world.NewKeyAsync("adv-a");
        world.AdvertiserBKey = await world.NewKeyAsync("adv-b");
        world.RevokedKey = await world.NewKeyAsync("adv-a");
        await keys.RevokeAsync(ApiKeys.IdOf(ApiKeys.Hash(world.RevokedKey)), DateTimeOffset.UtcNow);
        if (seed)
        {
            await world.SeedAsync();
        }
        return world;
    }

    public static MetricCounts Impressions(long n) => new(n, 0, 0, n * 100, 0, 0, 0, 0);

    private async Task<string> NewKeyAsync(string? advertiser)
    {
        var key = ApiKeys.NewKey();
        await Keys.CreateAsync(ApiKeys.NewRecord(key, advertiser, DateTimeOffset.UtcNow));
        return key;
    }

    private async Task SeedAsync()
    {
        await Store.ClaimCampaignsAsync([new("camp-a", "adv-a"), new("camp-a2", "adv-a"), new("camp-b", "adv-b")]);
        var minutes = Enumerable.Range(0, 120).Select(i => D + (8 * H) + (i * M)).ToArray();
        List<BatchViewRow> batch =
        [
            .. minutes.Select(m => new BatchViewRow("camp-a", "minute", m, Impressions(10), 1, [])),
            new BatchViewRow("camp-a", "minute", D - (12 * H), Impressions(5), 1, []),
            new BatchViewRow("camp-a", "hour", D + (8 * H), Impressions(600), 60, []),
            new BatchViewRow("camp-a", "hour", D + (9 * H), Impressions(600), 60, []),
            new BatchViewRow("camp-a", "hour", D - (12 * H), Impressions(5), 1, []),
            new BatchViewRow("camp-a", "day", D - (24 * H), Impressions(5), 1, []),
            // The day holding W: the batch layer writes what it has (before W); the merge must not use it.
            new BatchViewRow("camp-a", "day", D, Impressions(1200), 120, []),
            new BatchViewRow("camp-b", "hour", D + (8 * H), Impressions(77), 7, []),
        ];
        await Store.CreateBatchVersionAsync(new BatchVersionInfo(1, W, DateTimeOffset.UtcNow, "{}", 0, BatchVersionStates.Loading));
        await Store.AppendBatchRowsAsync(1, batch);
        await Store.MarkBatchVersionReadyAsync(1, batch.Count);
        await Store.SetCurrentBatchVersionAsync(1);

        var speed = Enumerable.Range(0, 180).SelectMany(i => new[]
        {
            new SpeedViewRow("camp-a", D + (9 * H) + (i * M), 0, Impressions(1), [], false),
            new SpeedViewRow("camp-a", D + (9 * H) + (i * M), 1, Impressions(1), [], false),
        }).ToArray();
        await Store.UpsertSpeedRowsAsync(speed);
        await Store.UpsertPartitionStatusAsync(
        [
            new SpeedPartitionStatus(0, "w1", D + (11 * H) + (58 * M), 5, 100, 1000, 1, 2, 3, 4, 5, DateTimeOffset.UtcNow),
            new SpeedPartitionStatus(1, "w1", D + (11 * H) + (59 * M), 7, 100, 1000, 1, 2, 3, 4, 5, DateTimeOffset.UtcNow),
        ]);
    }

    /// <summary>Records in <paramref name="topic"/>, over its two partitions.</summary>
    public async Task<long> RecordsInAsync(string topic)
    {
        long total = 0;
        for (var p = 0; p < 2; p++)
        {
            var offsets = await Log.GetOffsetsAsync(new Lambda.SharedModel.Log.TopicPartition(topic, p));
            total += offsets.End - offsets.Start;
        }
        return total;
    }

    public async ValueTask DisposeAsync()
    {
        await Log.DisposeAsync();
        await Keys.DisposeAsync();
        await Store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Directory_, recursive: true);
    }
}

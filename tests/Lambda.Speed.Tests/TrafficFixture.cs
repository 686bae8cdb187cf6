using Lambda.Generator;
using Lambda.Log.Embedded;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Views;
using Lambda.Store.Sqlite;

namespace Lambda.Speed.Tests;

/// <summary>Writes generated traffic into an embedded log and reads speed views back, for end-to-end tests.</summary>
internal static class TrafficFixture
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    /// <summary>Traffic with none of the imperfections the speed layer approximates.</summary>
    public static GeneratorOptions Clean(int seed) => new()
    {
        Seed = (ulong)seed,
        Campaigns = 20,
        AdsPerCampaign = 5,
        Advertisers = 4,
        Users = 3_000,
        BotShare = 0,
        DuplicateRate = 0,
        LateFraction = 0,
        ViewsBeforeServedShare = 0,
        EventsPerSecond = 250,
        StartTime = Start,
        ComputeOracle = true,
    };

    /// <summary>Appends <paramref name="records"/> generated records to the embedded log under <c>dataDir/log</c>.</summary>
    public static async Task<TrafficGenerator> AppendAsync(string dataDir, GeneratorOptions options, long records)
    {
        await using var log = EmbeddedEventLog.Open(new EmbeddedLogOptions { RootPath = Path.Combine(dataDir, "log") });
        foreach (var topic in Topics.All)
        {
            await log.CreateTopicAsync(topic, 4);
        }

        return await ProduceAsync(log, options, records);
    }

    /// <summary>
    /// Produces <paramref name="records"/> generated records into any log, flushing each batch; returns the
    /// generator (and its oracle). Timestamp 0: the log stamps its own append time.
    /// </summary>
    public static async Task<TrafficGenerator> ProduceAsync(IEventLog log, GeneratorOptions options, long records)
    {
        var generator = new TrafficGenerator(options);
        await using var producer = log.CreateProducer();
        var batch = new GeneratedBatch(4096);
        long written = 0;
        while (written < records)
        {
            var n = generator.NextBatch(batch, (int)Math.Min(batch.Capacity, records - written));
            if (n == 0)
            {
                break;
            }

            for (var i = 0; i < batch.Count; i++)
            {
                producer.Enqueue(batch.Topic(i), batch.Key(i), batch.Value(i), 0);
            }

            await producer.FlushAsync();
            written += n;
        }

        return generator;
    }

    /// <summary>Every speed row in the store, keyed by (campaign, bucket, partition).</summary>
    public static async Task<SortedDictionary<(string, long, int), SpeedViewRow>> ReadAllSpeedRowsAsync(string dataDir)
    {
        await using var store = new SqliteViewStore(Path.Combine(dataDir, "views.db"));
        await store.InitializeAsync();
        var rows = new SortedDictionary<(string, long, int), SpeedViewRow>();
        foreach (var campaign in await store.ListCampaignsAsync(null))
        {
            foreach (var row in await store.ReadSpeedRowsAsync(campaign.CampaignId, long.MinValue / 2, long.MaxValue / 2))
            {
                rows.Add((row.CampaignId, row.BucketStartMs, row.Partition), row);
            }
        }

        return rows;
    }

    /// <summary>
    /// Total records processed according to the partitions' last reported status; with
    /// <paramref name="processId"/>, counting only partitions that this process has reported on.
    /// </summary>
    public static async Task<long> ProcessedAsync(string dataDir, int? processId = null)
    {
        var path = Path.Combine(dataDir, "views.db");
        if (!File.Exists(path))
        {
            return 0;
        }

        await using var store = new SqliteViewStore(path);
        await store.InitializeAsync();
        return (await store.ListPartitionStatusAsync())
            .Where(s => processId is null || s.Owner.EndsWith($":{processId}", StringComparison.Ordinal))
            .Sum(s => s.Processed);
    }
}

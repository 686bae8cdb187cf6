using System.Globalization;
using Lambda.Generator.Oracle;
using Lambda.Log.Kafka;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Sketches;
using Lambda.SharedModel.Views;
using Lambda.Store.Sqlite;

namespace Lambda.Cli.Tests.KafkaFaults;

/// <summary>
/// What a fault run ends with: the views of a data directory compared with the oracle `lambda generate
/// --oracle` wrote for clean traffic (no bots, duplicates, late or early records), so every difference is
/// the fault's. The Kafka log holds each generated record exactly once; the batch view equals the oracle
/// row for row; the speed view, summed over partitions, equals it in every count (unique users within the
/// HyperLogLog's error) and its counters saw every record once, none as a duplicate.
/// </summary>
internal sealed class OracleViews(string dataDir, string oracleCsv, IReadOnlyDictionary<string, long> recordsByTopic)
{
    private readonly Dictionary<(string Campaign, long Bucket), OracleBucket> _buckets = ReadOracle(oracleCsv);

    private long Records => recordsByTopic.Values.Sum();

    /// <summary>Every event topic's partitions hold exactly as many records as were generated for it (nothing lost, nothing written twice).</summary>
    public async Task AssertLogHoldsEachRecordOnceAsync(string bootstrap)
    {
        await using var log = new KafkaEventLog(new KafkaLogOptions { BootstrapServers = bootstrap, ReplicationFactor = 3, MinInSyncReplicas = 2 });
        var topics = await log.ListTopicsAsync();
        foreach (var topic in Topics.EventTopics)
        {
            long inLog = 0;
            var partitions = topics.Single(t => t.Name == topic).Partitions;
            for (var p = 0; p < partitions; p++)
            {
                var offsets = await log.GetOffsetsAsync(new TopicPartition(topic, p));
                inLog += offsets.End - offsets.Start;
            }

            Assert.True(recordsByTopic.GetValueOrDefault(topic) == inLog, $"{topic}: {recordsByTopic.GetValueOrDefault(topic)} records generated, {inLog} in the log");
        }
    }

    /// <summary>Every minute row of the current batch version equals the oracle, and there is no other row.</summary>
    public async Task<int> AssertBatchEqualsOracleAsync()
    {
        await using var store = await OpenStoreAsync();
        var version = await store.GetCurrentBatchVersionAsync();
        Assert.NotNull(version);
        var (from, to) = Span();
        Assert.True(to <= version.WatermarkMs, $"the batch watermark {version.WatermarkMs} does not cover the traffic (to {to})");
        var rows = 0;
        foreach (var campaign in Campaigns())
        {
            foreach (var row in await store.ReadBatchRowsAsync(version.VersionId, campaign, "minute", from, to))
            {
                rows++;
                Assert.True(_buckets.TryGetValue((campaign, row.BucketStartMs), out var o), $"batch row {campaign} {row.BucketStartMs} is not in the oracle");
                var c = row.Counts;
                Assert.True((o.Impressions, o.Views, o.Clicks, o.SpendMicros, (long)o.Uniques, 0L, 0L, 0L)
                    == (c.Impressions, c.Views, c.Clicks, c.SpendMicros, row.Uniques, c.BotFiltered, c.Duplicates, c.Late),
                    $"batch {campaign} {row.BucketStartMs}: expected {o}, got {c} uniques {row.Uniques}");
            }
        }

        Assert.Equal(_buckets.Count, rows);
        return rows;
    }

    /// <summary>
    /// Speed rows summed over partitions equal the oracle; the partition counters saw each record once,
    /// but for up to <paramref name="resent"/> copies of records sent again after a refusal, which must
    /// all be counted as duplicates.
    /// </summary>
    public async Task<int> AssertSpeedEqualsOracleAsync(long resent = 0)
    {
        await using var store = await OpenStoreAsync();
        var (from, to) = Span();
        var speed = await SpeedRowSums.ReadAsync(store, Campaigns(), from, to);

        var tolerance = 4 * HyperLogLog.StandardError;
        foreach (var (key, o) in _buckets)
        {
            Assert.True(speed.TryGetValue(key, out var s), $"no speed row for {key}: lost");
            var c = s.Counts;
            Assert.True((o.Impressions, o.Views, o.Clicks, o.SpendMicros) == (c.Impressions, c.Views, c.Clicks, c.SpendMicros),
                $"speed {key}: expected {o}, got {c}");
            var estimate = s.Users.Estimate();
            Assert.True(estimate <= o.Uniques * (1 + tolerance) + 2 && estimate >= o.Uniques * (1 - tolerance) - 2,
                $"speed {key}: {estimate} unique users, the oracle has {o.Uniques}");
        }

        Assert.Empty(speed.Keys.Where(k => !_buckets.ContainsKey(k)).Take(5));
        var status = await store.ListPartitionStatusAsync();
        var processed = status.Sum(s => s.Processed);
        Assert.InRange(processed, Records, Records + resent);
        Assert.Equal((processed - Records, 0L, 0L, 0L, 0L), (status.Sum(s => s.Duplicates), status.Sum(s => s.Late), status.Sum(s => s.Unattributed),
            status.Sum(s => s.DeadLettered), status.Sum(s => s.BotFiltered)));
        return speed.Count;
    }

    /// <summary>Records the speed layer has processed so far, over every partition.</summary>
    public async Task<long> ProcessedAsync()
    {
        await using var store = await OpenStoreAsync();
        return (await store.ListPartitionStatusAsync()).Sum(s => s.Processed);
    }

    private IEnumerable<string> Campaigns() => _buckets.Keys.Select(k => k.Campaign).Distinct();

    private (long From, long To) Span() => (_buckets.Keys.Min(k => k.Bucket), _buckets.Keys.Max(k => k.Bucket) + 60_000);

    private async Task<SqliteViewStore> OpenStoreAsync()
    {
        var store = new SqliteViewStore(Path.Combine(dataDir, "views.db"));
        await store.InitializeAsync();
        return store;
    }

    private static Dictionary<(string, long), OracleBucket> ReadOracle(string path)
    {
        var lines = File.ReadAllLines(path);
        Assert.Equal(TrafficOracle.CsvHeader, lines[0]);
        return lines.Skip(1).Select(l => l.Split(',')).Select(f => new OracleBucket(f[0], Long(f[1]), Long(f[2]), Long(f[3]), Long(f[4]), Long(f[5]),
            (int)Long(f[6]), Long(f[7]), Long(f[8]), Long(f[9]), Long(f[10]))).ToDictionary(b => (b.CampaignId, b.BucketStartMs));
    }

    private static long Long(string s) => long.Parse(s, CultureInfo.InvariantCulture);
}

using Lambda.Cli.Hosting;
using Lambda.Generator;
using Lambda.Generator.Oracle;
using Lambda.Log.Embedded;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Sketches;
using Lambda.SharedModel.Views;
using Lambda.Store.Sqlite;

namespace Lambda.Cli.Tests.Chaos;

/// <summary>
/// Compares what a data directory holds after the chaos with the stream's exact oracle, computed here
/// again from the stream definition the host wrote: the log holds every record exactly once, every
/// batch row equals the oracle, and every speed row equals it but for the speed layer's named
/// approximations, each accounted for by its counters.
/// </summary>
internal sealed class ChaosVerdict
{
    private readonly string _dataDir;
    private readonly DemoStream _stream;

    public ChaosVerdict(string dataDir)
    {
        _dataDir = dataDir;
        _stream = DemoStream.TryRead(Path.Combine(dataDir, "demo")) ?? throw new InvalidOperationException("the host wrote no stream definition");
        var generator = new TrafficGenerator(_stream.GeneratorOptions);
        while (generator.TryNext(out _))
        {
        }

        Oracle = generator.Oracle!;
        Records = generator.Emitted;
        Buckets = Oracle.Buckets().ToDictionary(b => (b.CampaignId, b.BucketStartMs));
    }

    public TrafficOracle Oracle { get; }

    /// <summary>Records of the whole stream, bots and duplicates included.</summary>
    public long Records { get; }

    public Dictionary<(string Campaign, long Bucket), OracleBucket> Buckets { get; }

    /// <summary>Nothing re-emitted, nothing skipped: the stream's records in the log number exactly the stream's.</summary>
    public async Task AssertLogHoldsTheStreamOnceAsync()
    {
        await using var log = EmbeddedEventLog.Open(new EmbeddedLogOptions { RootPath = Path.Combine(_dataDir, "log"), ReadOnly = true });
        long inLog = 0;
        foreach (var topic in Topics.EventTopics)
        {
            for (var p = 0; p < 2; p++)
            {
                var tp = new TopicPartition(topic, p);
                inLog += (await log.GetOffsetsAsync(tp)).End - _stream.BaseOffsetsByPartition.GetValueOrDefault(tp);
            }
        }

        Assert.Equal(Records, inLog);
        using var expected = new StringWriter();
        Oracle.WriteCsv(expected);
        Assert.Equal(expected.ToString(), await File.ReadAllTextAsync(Path.Combine(_dataDir, "demo", DemoStream.OracleFileName)));
    }

    /// <summary>Every minute row of the current batch version equals the oracle exactly, and there is no other.</summary>
    public async Task<int> AssertBatchEqualsOracleAsync()
    {
        await using var store = await OpenStoreAsync();
        var version = await store.GetCurrentBatchVersionAsync();
        Assert.NotNull(version);
        var (from, to) = Span();
        Assert.True(to <= version.WatermarkMs, $"the batch watermark {version.WatermarkMs} does not cover the stream (to {to})");
        var rows = 0;
        foreach (var campaign in Buckets.Keys.Select(k => k.Campaign).Distinct())
        {
            foreach (var row in await store.ReadBatchRowsAsync(version.VersionId, campaign, "minute", from, to))
            {
                rows++;
                Assert.True(Buckets.TryGetValue((campaign, row.BucketStartMs), out var o), $"batch row {campaign} {row.BucketStartMs} is not in the oracle");
                var c = row.Counts;
                Assert.True((o.Impressions, o.Views, o.Clicks, o.SpendMicros, (long)o.Uniques, o.BotFiltered, o.Duplicates, 0L)
                    == (c.Impressions, c.Views, c.Clicks, c.SpendMicros, row.Uniques, c.BotFiltered, c.Duplicates, c.Late),
                    $"batch {campaign} {row.BucketStartMs}: expected {o}, got {c} uniques {row.Uniques}");
            }
        }

        Assert.Equal(Buckets.Count, rows);
        return rows;
    }

    /// <summary>
    /// Speed rows, summed over partitions, never count more than the oracle; each (campaign, minute)
    /// is short by at least the late events it counted, the whole view is short by exactly the late and
    /// unattributed events of the partition counters, bots and duplicates are counted exactly, and
    /// unique users are within the sketch's error.
    /// </summary>
    public async Task<SpeedAccount> AssertSpeedMatchesOracleAsync()
    {
        await using var store = await OpenStoreAsync();
        var (from, to) = Span();
        var speed = await SpeedRowSums.ReadAsync(store, Buckets.Keys.Select(k => k.Campaign).Distinct(), from, to);

        long deficit = 0, rowLate = 0, uniquesChecked = 0;
        var tolerance = 4 * HyperLogLog.StandardError;
        foreach (var (key, (c, users)) in speed)
        {
            Assert.True(Buckets.TryGetValue(key, out var o), $"speed row {key} is not in the oracle");
            Assert.True(c.Impressions <= o.Impressions && c.Views <= o.Views && c.Clicks <= o.Clicks && c.SpendMicros <= o.SpendMicros
                && c.BotFiltered <= o.BotFiltered && c.Duplicates <= o.Duplicates,
                $"speed {key} counts more than the oracle: expected {o}, got {c}");
            var shortBy = o.Impressions + o.Views + o.Clicks - (c.Impressions + c.Views + c.Clicks);
            // A copy of a late record is counted late again, not as a duplicate: the dedupe window has
            // already forgotten the slice of a record that late (bounded dedupe, an approximation).
            var unrecognisedCopies = o.Duplicates - c.Duplicates;
            Assert.True(c.Late <= shortBy + unrecognisedCopies,
                $"speed {key} counted {c.Late} late records but is short by only {shortBy} events and {unrecognisedCopies} duplicate copies");
            deficit += shortBy;
            rowLate += c.Late;
            var estimate = users.Estimate();
            var low = shortBy == 0 ? o.Uniques : o.Uniques - shortBy;
            Assert.True(estimate <= o.Uniques * (1 + tolerance) + 2 && estimate >= low * (1 - tolerance) - 2,
                $"speed {key}: {estimate} unique users, the oracle has {o.Uniques} (short by {shortBy} events)");
            uniquesChecked++;
        }

        // Oracle buckets with no speed row at all are short by everything in them.
        foreach (var (key, o) in Buckets.Where(b => !speed.ContainsKey(b.Key)))
        {
            deficit += o.Impressions + o.Views + o.Clicks;
        }

        var status = await store.ListPartitionStatusAsync();
        var totals = Oracle.Totals();
        var account = new SpeedAccount(speed.Count, deficit, rowLate, status.Sum(s => s.Late), status.Sum(s => s.Unattributed),
            status.Sum(s => s.Duplicates), totals.Duplicates, status.Sum(s => s.Processed), uniquesChecked);
        var applied = speed.Values.Sum(v => v.Counts.Impressions + v.Counts.Views + v.Counts.Clicks);
        Assert.Equal(Records, account.Processed);
        Assert.Equal(0, status.Sum(s => s.DeadLettered));
        Assert.Equal(totals.BotFiltered, status.Sum(s => s.BotFiltered));
        // Every record is counted exactly once: applied, or bot, duplicate, late or unattributed.
        Assert.True(account.Processed == applied + totals.BotFiltered + account.Duplicates + account.Late + account.Unattributed,
            $"{account.Processed} records processed, but {applied} applied + {totals.BotFiltered} bots + {account}");
        // Duplicates the window no longer recognised were late copies, and were counted late.
        Assert.InRange(totals.Duplicates - account.Duplicates, 0, account.Late);
        Assert.True(deficit == account.Late + account.Unattributed - (totals.Duplicates - account.Duplicates) + totals.Unattributed,
            $"speed is short by {deficit} events, but its counters account for {account}");
        return account;
    }

    private (long From, long To) Span() =>
        (Buckets.Keys.Min(k => k.Bucket), Buckets.Keys.Max(k => k.Bucket) + 60_000);

    private async Task<SqliteViewStore> OpenStoreAsync()
    {
        var store = new SqliteViewStore(Path.Combine(_dataDir, "views.db"));
        await store.InitializeAsync();
        return store;
    }
}

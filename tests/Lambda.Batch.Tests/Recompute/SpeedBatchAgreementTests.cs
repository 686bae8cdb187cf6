using Lambda.Batch.Archive;
using Lambda.Batch.Drift;
using Lambda.Batch.Recompute;
using Lambda.Batch.Tests.Recompute.Fixtures;
using Lambda.Generator;
using Lambda.Log.Embedded;
using Lambda.SharedModel.Bots;
using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Sketches;
using Lambda.SharedModel.Views;
using Lambda.Speed;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lambda.Batch.Tests.Recompute;

public sealed class SpeedBatchAgreementTests
{
    private static readonly GeneratorOptions CleanTraffic = new()
    {
        Seed = 21,
        Campaigns = 15,
        AdsPerCampaign = 4,
        Advertisers = 3,
        Users = 2_000,
        EventsPerSecond = 3,
        StartTime = new DateTimeOffset(2025, 1, 1, 22, 30, 0, TimeSpan.Zero),
        Duration = TimeSpan.FromHours(2),
        BotShare = 0,
        DuplicateRate = 0,
        LateFraction = 0,
        ViewsBeforeServedShare = 0,
        Jitter = TimeSpan.Zero,
        ViewRate = 0.4,
        ClickRate = 0.2,
    };

    [Fact]
    public async Task speed_and_batch_agree_exactly_on_clean_input()
    {
        await using var bed = await BatchTestBed.CreateAsync();
        var result = await RunBothLayersAsync(bed, intruders: 0);
        await AssertAgreementAsync(bed, result);
    }

    [Fact]
    public async Task served_records_naming_another_advertiser_are_left_out_by_both_layers_alike()
    {
        await using var bed = await BatchTestBed.CreateAsync();
        var result = await RunBothLayersAsync(bed, intruders: 5);
        await AssertAgreementAsync(bed, result);

        // No campaign moved, the intruder owns nothing, and each record was dead-lettered with its reason.
        var campaigns = await bed.Store.ListCampaignsAsync(null);
        Assert.Equal(15, campaigns.Count);
        Assert.Empty(await bed.Store.ListCampaignsAsync("intruder"));
        Assert.Equal(campaigns, (await bed.Store.ReadCampaignOwnersAsync()).OrderBy(c => c.CampaignId, StringComparer.Ordinal));
        Assert.Equal(5, (await bed.Store.ListPartitionStatusAsync()).Sum(s => s.DeadLettered));
    }

    /// <summary>
    /// Generates clean traffic into a log, then <paramref name="intruders"/> served records that each name
    /// a known campaign with another advertiser and a new ad (with a view of that ad); runs the speed
    /// layer over it, archives and recomputes.
    /// </summary>
    private static async Task<RecomputeResult> RunBothLayersAsync(BatchTestBed bed, int intruders)
    {
        long total = 0;
        await using (var log = EmbeddedEventLog.Open(new EmbeddedLogOptions { RootPath = Path.Combine(bed.DataDirectory, "log"), DefaultPartitions = 4 }))
        {
            foreach (var topic in Topics.All)
            {
                await log.CreateTopicAsync(topic, 4);
            }

            var owners = new Dictionary<string, string>(StringComparer.Ordinal);
            long lastArrival = 0;
            await using (var producer = log.CreateProducer())
            {
                var generator = new TrafficGenerator(CleanTraffic);
                // The log stamps records with its own clock and the speed layer merges topics by that stamp:
                // small flushed batches keep the stamps in step with event time, as live traffic would.
                var batch = new GeneratedBatch(30);
                var decoder = new EventDecoder();
                while (generator.NextBatch(batch) > 0)
                {
                    for (var i = 0; i < batch.Count; i++)
                    {
                        producer.Enqueue(batch.Topic(i), batch.Key(i), batch.Value(i), batch.Event(i).ArrivalTimeMs);
                        lastArrival = Math.Max(lastArrival, batch.Event(i).ArrivalTimeMs);
                        if (batch.Event(i).Kind == EventKind.Served && decoder.TryDecodeRecord(EventKind.Served, batch.Value(i), batch.Event(i).ArrivalTimeMs, out var served, out _))
                        {
                            owners.TryAdd(served!.CampaignId!, served.AdvertiserId!);
                        }
                    }

                    total += batch.Count;
                    await producer.FlushAsync();
                    await Task.Delay(2);
                }

                // Owners as an earlier run established them: the store decides for both layers.
                await bed.Store.ClaimCampaignsAsync([.. owners.Select(o => new CampaignInfo(o.Key, o.Value))]);
                var encoder = new EventEncoder();
                foreach (var campaign in owners.Keys.Order(StringComparer.Ordinal).Take(intruders))
                {
                    var ad = "intruder-ad-" + campaign;
                    producer.Enqueue(Topics.Served, System.Text.Encoding.UTF8.GetBytes(ad), encoder.Encode(new AdEventRecord
                    {
                        Kind = EventKind.Served,
                        EventId = "intruder-" + campaign,
                        AdId = ad,
                        CampaignId = campaign,
                        AdvertiserId = "intruder",
                        UserId = "u-intruder",
                        Ip = "10.9.9.9",
                        UserAgent = "Mozilla/5.0",
                        Placement = "top",
                        Score = 0.5,
                        CostMicros = 1_000_000,
                        EventTimeMs = lastArrival - 600_000,
                    }), lastArrival);
                    producer.Enqueue(Topics.Views, System.Text.Encoding.UTF8.GetBytes(ad), encoder.Encode(new AdEventRecord
                    {
                        Kind = EventKind.View,
                        EventId = "intruder-view-" + campaign,
                        AdId = ad,
                        UserId = "u-intruder",
                        Ip = "10.9.9.9",
                        UserAgent = "Mozilla/5.0",
                        EventTimeMs = lastArrival - 600_000,
                    }), lastArrival);
                    total += 2;
                }

                await producer.FlushAsync();
            }

            await RunSpeedUntilCaughtUpAsync(log, bed, total);
            await new ArchiveJob(log, new ArchiveOptions { MasterRoot = bed.MasterRoot, MaxParallelism = 2 }).RunAsync();
        }

        return await bed.RecomputeAsync();
    }

    private static async Task AssertAgreementAsync(BatchTestBed bed, RecomputeResult result)
    {
        Assert.Equal(RecomputeOutcome.Published, result.Outcome);
        Assert.Equal(2, result.RecomputedDates.Count);
        var batchMinutes = bed.FileRows(result.VersionId!.Value).Where(kv => kv.Key.Granularity == "minute").ToDictionary(kv => (kv.Key.Campaign, kv.Key.Bucket), kv => kv.Value);
        var speedMinutes = new Dictionary<(string Campaign, long Bucket), (MetricCounts Counts, HyperLogLog Sketch)>();
        foreach (var campaign in await bed.Store.ListCampaignsAsync(null))
        {
            foreach (var row in await bed.Store.ReadSpeedRowsAsync(campaign.CampaignId, 0, long.MaxValue))
            {
                var key = (row.CampaignId, row.BucketStartMs);
                var (counts, sketch) = speedMinutes.GetValueOrDefault(key, (default, new HyperLogLog()));
                sketch.Merge(HyperLogLog.FromBytes(row.UniquesSketch));
                speedMinutes[key] = (counts + row.Counts, sketch);
            }
        }

        Assert.Equal(batchMinutes.Keys.Order(), speedMinutes.Keys.Order());
        foreach (var (key, exact) in batchMinutes)
        {
            var (counts, sketch) = speedMinutes[key];
            Assert.True((exact.Counts.Impressions, exact.Counts.Views, exact.Counts.Clicks, exact.Counts.SpendMicros) ==
                (counts.Impressions, counts.Views, counts.Clicks, counts.SpendMicros),
                $"{key}: batch {exact.Counts}, speed {counts}; partitions: {string.Join("; ", await bed.Store.ListPartitionStatusAsync())}");
            Assert.Equal(0, counts.Late);
            Assert.Equal(exact.UniquesSketch, sketch.ToBytes());
        }

        var drift = DriftReports.Read(bed.Paths, result.VersionId.Value)!;
        Assert.NotEmpty(drift.Days);
        Assert.All(drift.Days, d => Assert.Equal((0, 0L, 0L, 0L, 0L), (d.MinutesDiffering, d.Impressions.Difference, d.Views.Difference, d.Clicks.Difference, d.SpendMicros.Difference)));
        Assert.All(drift.Days, d => Assert.True(Math.Abs(d.UniquesRelativeError) < 0.05, $"uniques error {d.UniquesRelativeError}"));
        Assert.Equal(4, drift.Partitions.Count);
    }

    private static async Task RunSpeedUntilCaughtUpAsync(EmbeddedEventLog log, BatchTestBed bed, long total)
    {
        var speedOptions = new SpeedOptions
        {
            CheckpointDirectory = Path.Combine(bed.DataDirectory, "speed"),
            FlushInterval = TimeSpan.FromMilliseconds(100),
            Workers = 2,
        };
        using var stop = new CancellationTokenSource();
        var speed = new SpeedLayer(log, bed.Store, BotRules.Default, speedOptions, NullLoggerFactory.Instance, TimeProvider.System);
        var running = speed.RunAsync(stop.Token);
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline && !running.IsCompleted)
        {
            var statuses = await bed.Store.ListPartitionStatusAsync();
            if (statuses.Count == 4 && statuses.Sum(s => s.Processed) == total && statuses.All(s => s.Lag == 0))
            {
                break;
            }

            await Task.Delay(100);
        }

        // Stopping flushes every partition's rows.
        await stop.CancelAsync();
        await running;
        Assert.Equal(total, (await bed.Store.ListPartitionStatusAsync()).Sum(s => s.Processed));
    }
}

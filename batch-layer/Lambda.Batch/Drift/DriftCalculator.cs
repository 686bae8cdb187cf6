using Lambda.Batch.Recompute;
using Lambda.DuckDb;
using Lambda.SharedModel.Sketches;
using Lambda.SharedModel.Time;
using Lambda.SharedModel.Views;

namespace Lambda.Batch.Drift;

/// <summary>
/// Compares the speed layer's rows with a version's exact minute rows, per campaign and UTC day:
/// speed rows are summed over partitions, their sketches unioned, and set against the batch rows of
/// the same buckets.
/// </summary>
public static class DriftCalculator
{

    /// <summary>The drift of <paramref name="dates"/> (all before W) between the store's speed rows and the version's files.</summary>
    public static async Task<DriftReport> ComputeAsync(IViewStore store, DuckDbConnection connection, string versionDirectory,
        long versionId, long watermarkMs, IReadOnlyList<DateOnly> dates, DateTimeOffset createdAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(dates);
        var minutes = new Dictionary<(string Campaign, DateOnly Date), Dictionary<long, MetricCounts>>();
        var dayRows = new Dictionary<(string Campaign, DateOnly Date), BatchViewRow>();
        foreach (var date in dates)
        {
            var from = BatchWatermark.StartOf(date);
            foreach (var row in BatchViewFiles.ReadRows(connection, versionDirectory, "minute", from, from + Granularities.DayMs))
            {
                if (!minutes.TryGetValue((row.CampaignId, date), out var byBucket))
                {
                    minutes[(row.CampaignId, date)] = byBucket = [];
                }

                byBucket[row.BucketStartMs] = row.Counts;
            }

            foreach (var row in BatchViewFiles.ReadRows(connection, versionDirectory, "day", from, from + Granularities.DayMs))
            {
                dayRows[(row.CampaignId, date)] = row;
            }
        }

        var campaigns = new SortedSet<string>(StringComparer.Ordinal);
        campaigns.UnionWith(dayRows.Keys.Select(k => k.Campaign));
        campaigns.UnionWith((await store.ListCampaignsAsync(null, cancellationToken).ConfigureAwait(false)).Select(c => c.CampaignId));
        var dateSet = dates.ToHashSet();
        var rangeFrom = BatchWatermark.StartOf(dates.Min());
        var rangeTo = BatchWatermark.StartOf(dates.Max()) + Granularities.DayMs;
        var result = new List<CampaignDayDrift>();
        foreach (var campaign in campaigns)
        {
            var speedRows = await store.ReadSpeedRowsAsync(campaign, rangeFrom, rangeTo, cancellationToken).ConfigureAwait(false);
            var speedByDay = speedRows.Where(r => dateSet.Contains(BatchWatermark.DateOf(r.BucketStartMs)))
                .GroupBy(r => BatchWatermark.DateOf(r.BucketStartMs))
                .ToDictionary(g => g.Key, g => g.ToList());
            foreach (var date in dates)
            {
                var speed = speedByDay.GetValueOrDefault(date) ?? [];
                var exactDay = dayRows.GetValueOrDefault((campaign, date));
                if (speed.Count == 0 && exactDay is null)
                {
                    continue;
                }

                result.Add(Compare(campaign, date, speed, exactDay, minutes.GetValueOrDefault((campaign, date)) ?? []));
            }
        }

        var statuses = await store.ListPartitionStatusAsync(cancellationToken).ConfigureAwait(false);
        var partitions = statuses.Select(s => new PartitionCounters(s.Partition, s.Late, s.Unattributed, s.Duplicates, s.BotFiltered)).ToList();
        return new DriftReport(versionId, watermarkMs, createdAt, [.. dates.Order()], partitions, result);
    }

    private static CampaignDayDrift Compare(string campaign, DateOnly date, List<SpeedViewRow> speed, BatchViewRow? exactDay,
        Dictionary<long, MetricCounts> batchMinutes)
    {
        var sketch = new HyperLogLog();
        var speedTotal = default(MetricCounts);
        var perMinute = new Dictionary<long, MetricCounts>();
        foreach (var row in speed)
        {
            speedTotal += row.Counts;
            perMinute[row.BucketStartMs] = perMinute.GetValueOrDefault(row.BucketStartMs) + row.Counts;
            sketch.Merge(HyperLogLog.FromBytes(row.UniquesSketch));
        }

        var differing = perMinute.Keys.Union(batchMinutes.Keys).Count(bucket =>
        {
            var s = perMinute.GetValueOrDefault(bucket);
            var b = batchMinutes.GetValueOrDefault(bucket);
            return s.Impressions != b.Impressions || s.Views != b.Views || s.Clicks != b.Clicks || s.SpendMicros != b.SpendMicros;
        });
        var batch = exactDay?.Counts ?? default;
        var exact = exactDay?.Uniques ?? 0;
        var estimate = sketch.Estimate();
        var error = exact == 0 ? (estimate == 0 ? 0 : 1) : (estimate - exact) / (double)exact;
        return new CampaignDayDrift(campaign, date, speed.Count, speed.Count(r => !r.Final), differing,
            new MetricDrift(speedTotal.Impressions, batch.Impressions),
            new MetricDrift(speedTotal.Views, batch.Views),
            new MetricDrift(speedTotal.Clicks, batch.Clicks),
            new MetricDrift(speedTotal.SpendMicros, batch.SpendMicros),
            estimate, exact, error,
            speedTotal.Late, speedTotal.Duplicates, batch.Duplicates, speedTotal.BotFiltered, batch.BotFiltered);
    }
}

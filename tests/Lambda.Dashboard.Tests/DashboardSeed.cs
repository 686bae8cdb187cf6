using Lambda.SharedModel.Sketches;
using Lambda.SharedModel.Time;
using Lambda.SharedModel.Views;

namespace Lambda.Dashboard.Tests;

/// <summary>
/// The data the dashboard test puts in the view store: two campaigns of one advertiser and one of
/// another; a current batch version whose watermark W is an hour before the last full hour, with
/// minute rows (and their hour and day roll-ups) before W; speed rows from half an hour before W
/// to the current minute (the half hour before W is overlapped by batch and must not be counted
/// twice). All of it lies inside the page's "last 6 h" window whenever the test runs.
/// </summary>
public sealed class DashboardSeed
{
    public const string Advertiser = "adv-acme";
    public const string OtherAdvertiser = "adv-globex";
    public const string OtherCampaign = "cmp-globex-launch";
    public const int Partitions = 2;
    public const long Lag = 42;

    private readonly List<BatchViewRow> _batchRows = [];
    private readonly List<SpeedViewRow> _speedRows = [];

    private DashboardSeed(DateTimeOffset now)
    {
        Now = now;
        var nowMs = now.ToUnixTimeMilliseconds();
        CurrentMinuteMs = TimeBucket.Floor(nowMs, Granularity.Minute).StartMs;
        WatermarkMs = TimeBucket.Floor(nowMs, Granularity.Hour).StartMs - Granularities.HourMs;
        FirstMinuteMs = CurrentMinuteMs - (5 * Granularities.HourMs) - (30 * Granularities.MinuteMs);
        for (var c = 0; c < OwnCampaigns.Count; c++)
        {
            AddCampaign(OwnCampaigns[c], c);
        }
        AddCampaign(OtherCampaign, OwnCampaigns.Count);
    }

    /// <summary>The advertiser's campaigns, ordered by id (as the API lists them).</summary>
    /// <summary>The advertiser's campaigns, in the page's (id) order; the last one has an id of the longest kind (128 bytes).</summary>
    public static IReadOnlyList<string> OwnCampaigns { get; } = ["cmp-acme-spring", "cmp-acme-summer", LongCampaign];

    public const string LongCampaign = "cmp-acme-zz-holiday-season-retargeting-north-america-and-western-europe-desktop-and-mobile-video-and-display-q4-2026-v12";

    public DateTimeOffset Now { get; }

    /// <summary>The batch watermark W (hour-aligned).</summary>
    public long WatermarkMs { get; }

    /// <summary>The first seeded minute (batch).</summary>
    public long FirstMinuteMs { get; }

    /// <summary>The current minute: the last speed row's bucket, not final yet.</summary>
    public long CurrentMinuteMs { get; }

    /// <summary>The speed watermark the status reports: the start of the current minute.</summary>
    public long SpeedWatermarkMs => CurrentMinuteMs;

    public IReadOnlyList<BatchViewRow> BatchRows => _batchRows;

    public IReadOnlyList<SpeedViewRow> SpeedRows => _speedRows;

    public static DashboardSeed Create(DateTimeOffset now) => new(now);

    /// <summary>
    /// What the merge must answer for a campaign: batch minute rows before W plus speed rows (all
    /// partitions) from W on.
    /// </summary>
    public MetricCounts ExpectedTotals(string campaignId)
    {
        var total = default(MetricCounts);
        foreach (var row in _batchRows.Where(r => r.CampaignId == campaignId && r.Granularity == "minute" && r.BucketStartMs < WatermarkMs))
        {
            total += row.Counts;
        }
        foreach (var row in _speedRows.Where(r => r.CampaignId == campaignId && r.BucketStartMs >= WatermarkMs))
        {
            total += row.Counts;
        }
        return total;
    }

    /// <summary>Writes campaigns, the batch version (made current), speed rows and partition status.</summary>
    public async Task WriteAsync(IViewStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        await store.InitializeAsync();
        await store.ClaimCampaignsAsync(
        [
            .. OwnCampaigns.Select(c => new CampaignInfo(c, Advertiser)),
            new CampaignInfo(OtherCampaign, OtherAdvertiser),
        ]);
        var version = new BatchVersionInfo(1, WatermarkMs, Now.AddMinutes(-20), "{}", _batchRows.Count, BatchVersionStates.Loading);
        await store.CreateBatchVersionAsync(version);
        await store.AppendBatchRowsAsync(1, _batchRows);
        await store.MarkBatchVersionReadyAsync(1, _batchRows.Count);
        await store.SetCurrentBatchVersionAsync(1);
        await store.UpsertSpeedRowsAsync(_speedRows);
        await store.UpsertPartitionStatusAsync(
        [
            .. Enumerable.Range(0, Partitions).Select(p => new SpeedPartitionStatus(
                p, "speed-worker-1", SpeedWatermarkMs, Lag / Partitions, 250.5 + p, 100_000 + p, 12, 3, 1, 7, 0, Now.AddSeconds(-3))),
        ]);
    }

    private void AddCampaign(string campaignId, int campaignIndex)
    {
        var hours = new Dictionary<long, (MetricCounts Counts, long Uniques, HyperLogLog Sketch)>();
        var days = new Dictionary<long, (MetricCounts Counts, long Uniques, HyperLogLog Sketch)>();
        for (var minute = FirstMinuteMs; minute <= CurrentMinuteMs; minute += Granularities.MinuteMs)
        {
            var i = (int)((minute - FirstMinuteMs) / Granularities.MinuteMs);
            var counts = CountsAt(i, campaignIndex);
            var users = UsersAt(i, campaignIndex);
            if (minute < WatermarkMs)
            {
                var sketch = Sketch(campaignId, minute, 0, users);
                _batchRows.Add(new BatchViewRow(campaignId, "minute", minute, counts, users, sketch.ToBytes()));
                Accumulate(hours, TimeBucket.Floor(minute, Granularity.Hour).StartMs, counts, users, sketch);
                Accumulate(days, TimeBucket.Floor(minute, Granularity.Day).StartMs, counts, users, sketch);
            }
            // Speed keeps state from before W too (its retention is longer than the batch delay).
            if (minute >= WatermarkMs - (30 * Granularities.MinuteMs))
            {
                AddSpeedRows(campaignId, minute, counts, users);
            }
        }
        foreach (var (start, v) in hours)
        {
            _batchRows.Add(new BatchViewRow(campaignId, "hour", start, v.Counts, v.Uniques, v.Sketch.ToBytes()));
        }
        foreach (var (start, v) in days)
        {
            _batchRows.Add(new BatchViewRow(campaignId, "day", start, v.Counts, v.Uniques, v.Sketch.ToBytes()));
        }
    }

    // A smooth daily-looking wave, different per campaign, with views and clicks as shares of it.
    private static MetricCounts CountsAt(int i, int campaignIndex)
    {
        var impressions = 300 + (campaignIndex * 120) + (long)((140 * Math.Sin((i + (campaignIndex * 40)) / 23.0)) + (18 * Math.Sin(i / 2.9)));
        var views = (impressions * 45 / 100) + (long)(6 * Math.Sin(i / 4.1));
        var clicks = (impressions * 4 / 100) + (long)(3 * Math.Sin(i / 3.3));
        return new MetricCounts(impressions, views, clicks, impressions * 1_250, i % 4, i % 9 == 0 ? 1 : 0, 0, i % 6 == 0 ? 2 : 0);
    }

    private static long UsersAt(int i, int campaignIndex) => 80 + (campaignIndex * 30) + (long)(25 * Math.Sin(i / 17.0));

    // The speed layer's view of a minute: the same counts split over partitions, users split too.
    private void AddSpeedRows(string campaignId, long minute, MetricCounts counts, long users)
    {
        for (var p = 0; p < Partitions; p++)
        {
            var share = new MetricCounts(
                Part(counts.Impressions, p), Part(counts.Views, p), Part(counts.Clicks, p), Part(counts.SpendMicros, p),
                Part(counts.BotFiltered, p), Part(counts.Late, p), Part(counts.Unattributed, p), Part(counts.Duplicates, p));
            var sketch = Sketch(campaignId, minute, p, Part(users, p));
            _speedRows.Add(new SpeedViewRow(campaignId, minute, p, share, sketch.ToBytes(), Final: minute < CurrentMinuteMs));
        }
    }

    private static long Part(long value, int partition) => partition == 0 ? value / 2 : value - (value / 2);

    // Users are distinct per (campaign, minute) here, so roll-ups add up exactly.
    private static HyperLogLog Sketch(string campaignId, long minute, int partition, long users)
    {
        var sketch = new HyperLogLog();
        for (var u = 0; u < users; u++)
        {
            sketch.Add(UserHash.Of($"{campaignId}/{minute}/{partition}/{u}"));
        }
        return sketch;
    }

    private static void Accumulate(Dictionary<long, (MetricCounts Counts, long Uniques, HyperLogLog Sketch)> into,
        long start, MetricCounts counts, long users, HyperLogLog sketch)
    {
        if (into.TryGetValue(start, out var v))
        {
            v.Sketch.Merge(sketch);
            into[start] = (v.Counts + counts, v.Uniques + users, v.Sketch);
        }
        else
        {
            into[start] = (counts, users, sketch.Clone());
        }
    }
}

using System.Globalization;
using Lambda.SharedModel.Events;

namespace Lambda.Generator.Oracle;

/// <summary>
/// The exact expected answer for the records a <see cref="TrafficGenerator"/> has emitted so far:
/// per (campaign, minute of event time) impressions, views, clicks, spend and exact unique users,
/// after bot filtering and dedupe, views and clicks attributed to their ad's campaign (as the
/// batch layer computes them: any arrival order, late records included), plus the injected
/// imperfection counters. Updated as records are emitted, so it matches any prefix of the stream.
/// </summary>
public sealed class TrafficOracle
{
    /// <summary>Header of <see cref="WriteCsv(TextWriter)"/>: the seven metric columns, then the four injected counters.</summary>
    public const string CsvHeader =
        "campaign_id,bucket_start_ms,impressions,views,clicks,spend_micros,uniques,bot_filtered,duplicates,late,views_before_served";

    private const long BucketMs = 60_000;

    private readonly TrafficCatalog _catalog;
    private readonly Dictionary<(int Campaign, long Bucket), BucketAccumulator> _buckets = [];
    private readonly BucketAccumulator?[] _lastByCampaign;
    private readonly bool[] _announced;
    private readonly Dictionary<int, List<(EventKind Kind, BucketAccumulator Bucket, int User)>> _waitingForAd = [];
    private long _records;
    private long _unattributed;

    internal TrafficOracle(TrafficCatalog catalog)
    {
        _catalog = catalog;
        _lastByCampaign = new BucketAccumulator?[catalog.Campaigns];
        _announced = new bool[catalog.Ads];
    }

    internal long YsbPurchasesDropped { get; set; }

    /// <summary>Every campaign-minute touched so far, ordered by campaign_id (ordinal) then bucket.</summary>
    public IReadOnlyList<OracleBucket> Buckets()
    {
        var rows = _buckets.Values
            .Select(b => new OracleBucket(
                TrafficCatalog.Utf8String(_catalog.CampaignId(b.Campaign)), b.BucketStartMs,
                b.Impressions, b.Views, b.Clicks, b.SpendMicros, b.Users.Count,
                b.BotFiltered, b.Duplicates, b.Late, b.ViewsBeforeServed))
            .ToList();
        rows.Sort((x, y) =>
        {
            var c = string.CompareOrdinal(x.CampaignId, y.CampaignId);
            return c != 0 ? c : x.BucketStartMs.CompareTo(y.BucketStartMs);
        });
        return rows;
    }

    public OracleTotals Totals()
    {
        long impressions = 0, views = 0, clicks = 0, spend = 0, bots = 0, duplicates = 0, late = 0, before = 0;
        foreach (var b in _buckets.Values)
        {
            impressions += b.Impressions;
            views += b.Views;
            clicks += b.Clicks;
            spend += b.SpendMicros;
            bots += b.BotFiltered;
            duplicates += b.Duplicates;
            late += b.Late;
            before += b.ViewsBeforeServed;
        }

        return new OracleTotals(_records, impressions, views, clicks, spend, bots, duplicates, late, before,
            _unattributed, YsbPurchasesDropped);
    }

    /// <summary>Writes <see cref="CsvHeader"/> and one line per <see cref="Buckets"/> row; bucket_start_ms is epoch ms, UTC.</summary>
    public void WriteCsv(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(CsvHeader);
        writer.Write('\n');
        foreach (var b in Buckets())
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"{b.CampaignId},{b.BucketStartMs},{b.Impressions},{b.Views},{b.Clicks},{b.SpendMicros},{b.Uniques},{b.BotFiltered},{b.Duplicates},{b.Late},{b.ViewsBeforeServed}\n"));
        }
    }

    public void WriteCsv(string path)
    {
        using var writer = new StreamWriter(path);
        WriteCsv(writer);
    }

    internal void Record(in GeneratedEvent e)
    {
        _records++;
        var bucket = Bucket(e.CampaignIndex, e.EventTimeMs);
        // The order of checks is the pipeline's: bot filter, then dedupe, then the metrics.
        if (e.IsBot)
        {
            bucket.BotFiltered++;
            return;
        }

        if (e.IsDuplicate)
        {
            bucket.Duplicates++;
            return;
        }

        if (e.IsLate)
        {
            bucket.Late++;
        }

        if (e.Kind == EventKind.Served)
        {
            bucket.Impressions++;
            bucket.SpendMicros += e.CostMicros;
            bucket.Users.Add(e.UserIndex);
            Announce(e.AdIndex);
            return;
        }

        if (e.ArrivesBeforeServed)
        {
            bucket.ViewsBeforeServed++;
        }

        if (!_announced[e.AdIndex])
        {
            if (!_waitingForAd.TryGetValue(e.AdIndex, out var waiting))
            {
                _waitingForAd[e.AdIndex] = waiting = [];
            }

            waiting.Add((e.Kind, bucket, e.UserIndex));
            _unattributed++;
            return;
        }

        Attribute(e.Kind, bucket, e.UserIndex);
    }

    private void Announce(int ad)
    {
        if (_announced[ad])
        {
            return;
        }

        _announced[ad] = true;
        if (_waitingForAd.Remove(ad, out var waiting))
        {
            foreach (var (kind, bucket, user) in waiting)
            {
                Attribute(kind, bucket, user);
            }

            _unattributed -= waiting.Count;
        }
    }

    private static void Attribute(EventKind kind, BucketAccumulator bucket, int user)
    {
        if (kind == EventKind.View)
        {
            bucket.Views++;
        }
        else
        {
            bucket.Clicks++;
        }

        bucket.Users.Add(user);
    }

    private BucketAccumulator Bucket(int campaign, long eventTimeMs)
    {
        var start = Math.DivRem(eventTimeMs, BucketMs, out var rem) * BucketMs;
        if (rem < 0)
        {
            start -= BucketMs;
        }

        // Records arrive nearly in event-time order, so the campaign's last bucket is usually the one.
        var last = _lastByCampaign[campaign];
        if (last is not null && last.BucketStartMs == start)
        {
            return last;
        }

        if (!_buckets.TryGetValue((campaign, start), out var bucket))
        {
            bucket = new BucketAccumulator(campaign, start);
            _buckets[(campaign, start)] = bucket;
        }

        _lastByCampaign[campaign] = bucket;
        return bucket;
    }
}

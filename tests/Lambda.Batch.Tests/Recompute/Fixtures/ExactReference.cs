using System.Text;
using Lambda.SharedModel.Bots;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Sketches;
using Lambda.SharedModel.Time;
using Lambda.SharedModel.Views;

namespace Lambda.Batch.Tests.Recompute.Fixtures;

/// <summary>
/// The metric definitions written out in plain C#, record by record, independent of the SQL: bots via
/// <see cref="BotRules.IsBot"/>, then dedupe by event_id per topic in log order (globally, not per date),
/// attribution through the first served record of each ad, exact distinct users as sets and sketches
/// built by <see cref="HyperLogLog.Add"/> from the user ids.
/// </summary>
public sealed class ExactReference
{
    private static readonly (string Name, long Length)[] Buckets =
        [("minute", Granularities.MinuteMs), ("hour", Granularities.HourMs), ("day", Granularities.DayMs)];

    private readonly Dictionary<(string Granularity, string Campaign, long Bucket), Accumulator> _rows = [];

    public long UnattributedViews { get; private set; }
    public long UnattributedClicks { get; private set; }

    public IReadOnlyDictionary<(string Granularity, string Campaign, long Bucket), BatchViewRow> Rows =>
        _rows.ToDictionary(kv => kv.Key, kv => new BatchViewRow(kv.Key.Campaign, kv.Key.Granularity, kv.Key.Bucket,
            kv.Value.Counts, kv.Value.Users.Count, kv.Value.Sketch.ToBytes()));

    public static ExactReference Compute(IEnumerable<MasterRecord> records, BotRules bots, long watermarkMs)
    {
        var reference = new ExactReference();
        var ordered = records.OrderBy(r => r.Partition).ThenBy(r => r.Offset).ToList();
        var adCampaign = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in ordered.Where(r => r.Event.Kind == EventKind.Served))
        {
            adCampaign.TryAdd(r.Event.AdId, r.Event.CampaignId!);
        }

        var seen = new HashSet<(EventKind, string)>();
        foreach (var r in ordered)
        {
            var e = r.Event;
            if (e.EventTimeMs >= watermarkMs)
            {
                // Dedupe still sees it: a later copy before W would be a duplicate of it.
                seen.Add((e.Kind, e.EventId));
                continue;
            }

            var campaign = e.Kind == EventKind.Served ? e.CampaignId : adCampaign.GetValueOrDefault(e.AdId);
            var isBot = bots.IsBot(Encoding.UTF8.GetBytes(e.Ip), Encoding.UTF8.GetBytes(e.UserAgent));
            var isDuplicate = !isBot && !seen.Add((e.Kind, e.EventId));
            if (campaign is null)
            {
                if (!isBot && !isDuplicate)
                {
                    if (e.Kind == EventKind.View)
                    {
                        reference.UnattributedViews++;
                    }
                    else
                    {
                        reference.UnattributedClicks++;
                    }
                }

                continue;
            }

            foreach (var (name, length) in Buckets)
            {
                var bucket = e.EventTimeMs - (((e.EventTimeMs % length) + length) % length);
                if (!reference._rows.TryGetValue((name, campaign, bucket), out var acc))
                {
                    reference._rows[(name, campaign, bucket)] = acc = new Accumulator();
                }

                acc.Apply(e, isBot, isDuplicate);
            }
        }

        return reference;
    }

    private sealed class Accumulator
    {
        public MetricCounts Counts;
        public readonly HashSet<string> Users = new(StringComparer.Ordinal);
        public readonly HyperLogLog Sketch = new();

        public void Apply(AdEventRecord e, bool isBot, bool isDuplicate)
        {
            if (isBot)
            {
                Counts = Counts with { BotFiltered = Counts.BotFiltered + 1 };
                return;
            }

            if (isDuplicate)
            {
                Counts = Counts with { Duplicates = Counts.Duplicates + 1 };
                return;
            }

            Counts = e.Kind switch
            {
                EventKind.Served => Counts with { Impressions = Counts.Impressions + 1, SpendMicros = Counts.SpendMicros + e.CostMicros },
                EventKind.View => Counts with { Views = Counts.Views + 1 },
                _ => Counts with { Clicks = Counts.Clicks + 1 },
            };
            Users.Add(e.UserId);
            Sketch.Add(UserHash.Of(e.UserId));
        }
    }
}

using Lambda.Generator.Json;
using Lambda.SharedModel.Events;

namespace Lambda.Generator;

// Where records come from: new impressions (with their views and clicks) and YSB events.
public sealed partial class TrafficGenerator
{
    private bool TryCreateImpression(long n, out GeneratedEvent served)
    {
        // On-time base: the impression happened up to Jitter before it arrives now.
        var baseTime = ArrivalTimeMs(n) - Draw(_jitterMs);
        var campaign = _campaignSampler.Sample(_rng.NextUInt64());
        var ad = campaign * _catalog.AdsPerCampaign + _rng.NextInt(_catalog.AdsPerCampaign);
        var bot = _rng.Chance(_botChance);
        var user = bot ? _rng.NextInt(TrafficCatalog.BotUsers) : _userSampler.Sample(_rng.NextUInt64());
        var impression = _impressions++;
        var late = _rng.Chance(_lateChance);
        var score = _rng.NextInt(1000);
        served = NewEvent(EventKind.Served, ad, campaign, user, bot, impression) with
        {
            // A late record happened Lateness earlier than its arrival suggests.
            EventTimeMs = late ? baseTime - _latenessMs : baseTime,
            IsLate = late,
            PlacementIndex = _rng.NextInt(TrafficCatalog.Placements),
            ScoreMillis = score,
            CostMicros = _catalog.CampaignBaseCostMicros[campaign] * (500 + score) / 1000,
        };

        if (!_rng.Chance(_viewChance))
        {
            return true;
        }

        var beforeServed = _rng.Chance(_beforeServedChance);
        var viewTime = baseTime + 1 + _rng.NextLong(_viewDelayMs);
        var lastDue = ScheduleFollowUp(EventKind.View, served, viewTime, beforeServed, n);
        if (_rng.Chance(_clickChance))
        {
            var clickTime = viewTime + 1 + _rng.NextLong(_clickDelayMs);
            lastDue = Math.Max(lastDue, ScheduleFollowUp(EventKind.Click, served, clickTime, beforeServed, n));
        }

        if (!beforeServed)
        {
            return true;
        }

        // Scheduled after its views and clicks at the same or a later slot, so it pops after them.
        Schedule(served, lastDue);
        served = default;
        return false;
    }

    private long ScheduleFollowUp(EventKind kind, in GeneratedEvent served, long eventTimeMs, bool beforeServed, long n)
    {
        // A held-back served record waits for its views and clicks; were one of them late, the served
        // record would turn late too, so such impressions get no late follow-ups.
        var late = _rng.Chance(_lateChance) && !beforeServed;
        var arrival = eventTimeMs + Draw(_jitterMs) + (late ? _latenessMs : 0);
        var e = NewEvent(kind, served.AdIndex, served.CampaignIndex, served.UserIndex, served.IsBot, served.ImpressionId) with
        {
            EventTimeMs = eventTimeMs,
            IsLate = late,
            ArrivesBeforeServed = beforeServed,
        };
        var due = Math.Max(n, SlotAt(arrival));
        Schedule(e, due);
        return due;
    }

    private bool TryCreateYsbEvent(long n, out GeneratedEvent e)
    {
        var arrival = ArrivalTimeMs(n);
        if (_ysbAnnounced < _catalog.Ads)
        {
            // Announce every ad once, in ad order, before any view or click: YSB's static ad→campaign table.
            var ad = _ysbAnnounced++;
            e = NewEvent(EventKind.Served, ad, _catalog.CampaignOf(ad), _userSampler.Sample(_rng.NextUInt64()), false, _impressions++) with
            {
                EventTimeMs = arrival,
                PlacementIndex = TrafficCatalog.YsbPlacement,
            };
            return true;
        }

        var pick = _rng.NextInt(_catalog.Ads);
        var type = _rng.NextInt(3);
        if (type == 2)
        {
            YsbPurchasesDropped++;
            if (Oracle is not null)
            {
                Oracle.YsbPurchasesDropped++;
            }

            e = default;
            return false;
        }

        var bot = _rng.Chance(_botChance);
        var user = bot ? _rng.NextInt(TrafficCatalog.BotUsers) : _userSampler.Sample(_rng.NextUInt64());
        var late = _rng.Chance(_lateChance);
        var eventTime = arrival - Draw(_jitterMs) - (late ? _latenessMs : 0);
        e = NewEvent(type == 0 ? EventKind.View : EventKind.Click, pick, _catalog.CampaignOf(pick), user, bot, -1) with
        {
            EventTimeMs = eventTime,
            IsLate = late,
        };
        return true;
    }

    /// <summary>YSB purchase events drawn and dropped so far (YSB mode only).</summary>
    public long YsbPurchasesDropped { get; private set; }

    private GeneratedEvent NewEvent(EventKind kind, int ad, int campaign, int user, bool bot, long impression)
    {
        var (high, low) = Utf8Uuid.Stamp(_rng.NextUInt64(), _rng.NextUInt64());
        return new GeneratedEvent
        {
            Kind = kind,
            AdIndex = ad,
            CampaignIndex = campaign,
            UserIndex = user,
            IsBot = bot,
            ImpressionId = impression,
            EventIdHigh = high,
            EventIdLow = low,
        };
    }

    private long Draw(long inclusiveMax) => inclusiveMax <= 0 ? 0 : _rng.NextLong(inclusiveMax + 1);

    /// <summary>The record as an <see cref="AdEventRecord"/> with string fields (allocates; for tests, files and the batch layer).</summary>
    public AdEventRecord ToRecord(in GeneratedEvent e)
    {
        Span<byte> scratch = stackalloc byte[Utf8Uuid.Length];
        Utf8Uuid.Write(e.EventIdHigh, e.EventIdLow, scratch);
        var eventId = TrafficCatalog.Utf8String(scratch);
        _catalog.WriteUserId(e.UserIndex, e.IsBot, scratch);
        var userId = TrafficCatalog.Utf8String(scratch);
        Span<byte> ip = stackalloc byte[16];
        var ipLength = _catalog.WriteIp(e.UserIndex, e.IsBot, ip);
        var served = e.Kind == EventKind.Served;
        return new AdEventRecord
        {
            Kind = e.Kind,
            EventId = eventId,
            AdId = TrafficCatalog.Utf8String(_catalog.AdId(e.AdIndex)),
            CampaignId = served ? CampaignId(e.CampaignIndex) : null,
            AdvertiserId = served ? TrafficCatalog.Utf8String(_catalog.AdvertiserId(_catalog.AdvertiserOf(e.CampaignIndex))) : null,
            UserId = userId,
            Ip = TrafficCatalog.Utf8String(ip[..ipLength]),
            UserAgent = TrafficCatalog.Utf8String(_catalog.UserAgent(e.UserIndex, e.IsBot)),
            Placement = served ? TrafficCatalog.Utf8String(TrafficCatalog.Placement(e.PlacementIndex)) : null,
            Score = served ? e.Score : 0,
            CostMicros = served ? e.CostMicros : 0,
            EventTimeMs = e.EventTimeMs,
        };
    }
}

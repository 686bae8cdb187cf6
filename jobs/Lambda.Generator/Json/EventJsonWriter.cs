using System.Buffers.Text;
using Lambda.SharedModel.Events;

namespace Lambda.Generator.Json;

/// <summary>
/// Writes generated records as compact JSON objects in the wire field order of ARCHITECTURE.md,
/// <c>event_time</c> as epoch ms. Every string comes from the catalog (UUIDs, dotted IPs, fixed
/// user agents and placements) and needs no escaping, so writing is copying and digit formatting.
/// </summary>
internal sealed class EventJsonWriter(TrafficCatalog catalog)
{
    /// <summary>An upper bound on one record's size, user agents included.</summary>
    public const int MaxRecordBytes = 768;

    private readonly TrafficCatalog _catalog = catalog;

    /// <summary>Writes one record into <paramref name="dest"/> (at least <see cref="MaxRecordBytes"/> long) and returns its length.</summary>
    public int Write(in GeneratedEvent e, bool includeType, Span<byte> dest)
    {
        var n = 0;
        if (includeType)
        {
            n += Put(e.Kind switch
            {
                EventKind.Served => "{\"type\":\"served\",\"event_id\":\""u8,
                EventKind.View => "{\"type\":\"view\",\"event_id\":\""u8,
                _ => "{\"type\":\"click\",\"event_id\":\""u8,
            }, dest);
        }
        else
        {
            n += Put("{\"event_id\":\""u8, dest);
        }

        Utf8Uuid.Write(e.EventIdHigh, e.EventIdLow, dest[n..]);
        n += Utf8Uuid.Length;
        n += Put("\",\"ad_id\":\""u8, dest[n..]);
        n += Put(_catalog.AdId(e.AdIndex), dest[n..]);
        if (e.Kind == EventKind.Served)
        {
            n += Put("\",\"campaign_id\":\""u8, dest[n..]);
            n += Put(_catalog.CampaignId(e.CampaignIndex), dest[n..]);
            n += Put("\",\"advertiser_id\":\""u8, dest[n..]);
            n += Put(_catalog.AdvertiserId(_catalog.AdvertiserOf(e.CampaignIndex)), dest[n..]);
        }

        n += Put("\",\"user_id\":\""u8, dest[n..]);
        _catalog.WriteUserId(e.UserIndex, e.IsBot, dest[n..]);
        n += Utf8Uuid.Length;
        n += Put("\",\"ip\":\""u8, dest[n..]);
        n += _catalog.WriteIp(e.UserIndex, e.IsBot, dest[n..]);
        n += Put("\",\"user_agent\":\""u8, dest[n..]);
        n += Put(_catalog.UserAgent(e.UserIndex, e.IsBot), dest[n..]);
        if (e.Kind == EventKind.Served)
        {
            n += Put("\",\"placement\":\""u8, dest[n..]);
            n += Put(TrafficCatalog.Placement(e.PlacementIndex), dest[n..]);
            n += Put("\",\"score\":0."u8, dest[n..]);
            var s = e.ScoreMillis;
            dest[n++] = (byte)('0' + (s / 100));
            dest[n++] = (byte)('0' + (s / 10 % 10));
            dest[n++] = (byte)('0' + (s % 10));
            n += Put(",\"cost_micros\":"u8, dest[n..]);
            n += Number(e.CostMicros, dest[n..]);
            n += Put(",\"event_time\":"u8, dest[n..]);
        }
        else
        {
            n += Put("\",\"event_time\":"u8, dest[n..]);
        }

        n += Number(e.EventTimeMs, dest[n..]);
        dest[n++] = (byte)'}';
        return n;
    }

    private static int Put(ReadOnlySpan<byte> text, Span<byte> dest)
    {
        text.CopyTo(dest);
        return text.Length;
    }

    private static int Number(long value, Span<byte> dest)
    {
        Utf8Formatter.TryFormat(value, dest, out var written);
        return written;
    }
}

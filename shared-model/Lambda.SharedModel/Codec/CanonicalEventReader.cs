using System.Buffers;
using System.Buffers.Text;
using Lambda.SharedModel.Events;

namespace Lambda.SharedModel.Codec;

/// <summary>
/// The decoder's fast path: reads a record only if it is exactly in the form <see cref="EventEncoder"/>
/// writes (the fields of its kind in wire order, no whitespace, no escapes, plain numbers) and valid.
/// Anything else, valid or not, returns false and goes through the full JSON reader, so this path never
/// decides a rejection: it accepts only records the full path would accept with the same values.
/// </summary>
internal static class CanonicalEventReader
{
    // A string ends at its closing quote; a backslash (escape) or a control character (malformed) leaves the fast path.
    private static readonly SearchValues<byte> StringStops = SearchValues.Create(
        [(byte)'"', (byte)'\\', 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]);

    /// <summary>
    /// Fills <paramref name="ev"/> (already cleared, <see cref="AdEvent.Kind"/> set) from a canonical record;
    /// false if the record is not canonical or not valid (the caller then decodes it in full).
    /// The caller has checked the size and that <paramref name="json"/> is valid UTF-8. <paramref name="latestMs"/>
    /// is the latest accepted event time (the receive time plus the allowed skew).
    /// </summary>
    private static ReadOnlySpan<byte> TypeField => "\"type\":\""u8;

    public static bool TryRead(EventKind kind, ReadOnlySpan<byte> json, long latestMs, ref AdEvent ev)
    {
        var at = 0;
        if (!Field(json, ref at, "{"u8))
        {
            return false;
        }

        // The routing field of JSON Lines and POST bodies (`lambda generate --out` writes it first): an
        // unknown field to the decoder, which the full path skips whatever it holds.
        if (json[at..].StartsWith(TypeField) && (!Field(json, ref at, TypeField) || !Text(json, ref at, int.MaxValue, out _) || !Field(json, ref at, ","u8)))
        {
            return false;
        }

        if (!Field(json, ref at, "\"event_id\":\""u8) || !Text(json, ref at, EventDecoder.MaxIdBytes, out ev.EventId)
            || !Field(json, ref at, ",\"ad_id\":\""u8) || !Text(json, ref at, EventDecoder.MaxIdBytes, out ev.AdId))
        {
            return false;
        }

        var served = kind == EventKind.Served;
        if (served && (!Field(json, ref at, ",\"campaign_id\":\""u8) || !Text(json, ref at, EventDecoder.MaxIdBytes, out ev.CampaignId)
            || !Field(json, ref at, ",\"advertiser_id\":\""u8) || !Text(json, ref at, EventDecoder.MaxIdBytes, out ev.AdvertiserId)))
        {
            return false;
        }

        if (!Field(json, ref at, ",\"user_id\":\""u8) || !Text(json, ref at, EventDecoder.MaxIdBytes, out ev.UserId)
            || !Field(json, ref at, ",\"ip\":\""u8) || !Text(json, ref at, EventDecoder.MaxIdBytes, out ev.Ip)
            || !Field(json, ref at, ",\"user_agent\":\""u8) || !Text(json, ref at, int.MaxValue, out ev.UserAgent))
        {
            return false;
        }

        if (served && (!Field(json, ref at, ",\"placement\":\""u8) || !Text(json, ref at, int.MaxValue, out ev.Placement)
            || !Field(json, ref at, ",\"score\":"u8) || !Score(json, ref at, out ev.Score)
            || !Field(json, ref at, ",\"cost_micros\":"u8) || !Natural(json, ref at, out ev.CostMicros)))
        {
            return false;
        }

        if (!Field(json, ref at, ",\"event_time\":"u8) || !Natural(json, ref at, out var time) || at != json.Length - 1 || json[at] != (byte)'}')
        {
            return false;
        }

        // Out of range is a rejection: the full path reports it.
        if (time < EventDecoder.MinEventTimeMs || time > latestMs)
        {
            return false;
        }

        ev.EventTimeMs = time;
        return true;
    }

    private static bool Field(ReadOnlySpan<byte> json, scoped ref int at, ReadOnlySpan<byte> name)
    {
        if (!json[at..].StartsWith(name))
        {
            return false;
        }

        at += name.Length;
        return true;
    }

    /// <summary>A non-empty string without escapes up to its closing quote (already past the opening one).</summary>
    private static bool Text(ReadOnlySpan<byte> json, scoped ref int at, int maxBytes, out ReadOnlySpan<byte> value)
    {
        var rest = json[at..];
        var end = rest.IndexOfAny(StringStops);
        if (end <= 0 || end > maxBytes || rest[end] != (byte)'"')
        {
            value = default;
            return false;
        }

        value = rest[..end];
        at += end + 1;
        return true;
    }

    /// <summary>A non-negative integer without leading zeros, at most 18 digits (no overflow).</summary>
    private static bool Natural(ReadOnlySpan<byte> json, scoped ref int at, out long value)
    {
        value = 0;
        var rest = json[at..];
        var digits = rest.IndexOfAnyExceptInRange((byte)'0', (byte)'9');
        if (digits <= 0 || digits > 18 || (digits > 1 && rest[0] == (byte)'0'))
        {
            return false;
        }

        for (var i = 0; i < digits; i++)
        {
            value = (value * 10) + (rest[i] - '0');
        }

        at += digits;
        return true;
    }

    /// <summary>A JSON number of the form -?int(.digits)? (no exponent), parsed as the full path parses it.</summary>
    private static bool Score(ReadOnlySpan<byte> json, scoped ref int start, out double value)
    {
        value = 0;
        var rest = json[start..];
        var at = rest.Length > 0 && rest[0] == (byte)'-' ? 1 : 0;
        var integer = rest[at..].IndexOfAnyExceptInRange((byte)'0', (byte)'9');
        if (integer <= 0 || (integer > 1 && rest[at] == (byte)'0'))
        {
            return false;
        }

        at += integer;
        if (at < rest.Length && rest[at] == (byte)'.')
        {
            var fraction = rest[(at + 1)..].IndexOfAnyExceptInRange((byte)'0', (byte)'9');
            if (fraction <= 0)
            {
                return false;
            }

            at += 1 + fraction;
        }

        // Short numbers only: they are always finite (the full path rejects infinities).
        if (at > 40 || !Utf8Parser.TryParse(rest[..at], out value, out var consumed) || consumed != at || !double.IsFinite(value))
        {
            return false;
        }

        start += at;
        return true;
    }
}

using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Time;

namespace Lambda.SharedModel.Codec;

/// <summary>
/// Decodes one JSON ad event (UTF-8, one object) into an <see cref="AdEvent"/> without allocating:
/// string fields are slices of the input, or of a scratch buffer owned by the decoder when they hold
/// JSON escapes. Reusable, not thread-safe: use one decoder per thread.
/// </summary>
/// <remarks>
/// Rules, in the order they are checked (the first that fails is reported):
/// <list type="number">
/// <item>a record over <see cref="MaxRecordBytes"/> is <see cref="RejectReason.TooLarge"/>;</item>
/// <item>invalid UTF-8, JSON that is not well-formed, not an object, or followed by anything but
/// whitespace is <see cref="RejectReason.MalformedJson"/> (this wins over any field error);</item>
/// <item>the first bad known field in document order: <see cref="RejectReason.WrongType"/>,
/// <see cref="RejectReason.EmptyField"/>, <see cref="RejectReason.FieldTooLong"/> (ids and ip over
/// <see cref="MaxIdBytes"/> bytes), <see cref="RejectReason.InvalidValue"/> (negative or non-integer
/// cost_micros, non-finite score, unparsable event_time), the event-time range, or
/// <see cref="RejectReason.DuplicateField"/>: a known field given twice is rejected, never "last wins";</item>
/// <item>the first missing required field in wire order (<see cref="RejectReason.MissingField"/>);
/// a JSON null counts as missing.</item>
/// </list>
/// Unknown fields, whatever their value (objects and arrays included), are skipped; so are the
/// served-only fields when decoding a view or click.
/// </remarks>
public sealed class EventDecoder
{
    /// <summary>Largest accepted record, in bytes.</summary>
    public const int MaxRecordBytes = 64 * 1024;

    /// <summary>Largest accepted id (and ip), in UTF-8 bytes after unescaping.</summary>
    public const int MaxIdBytes = 128;

    /// <summary>
    /// The default of <see cref="MaxFutureSkewMs"/>: 5 minutes. A producer whose clock runs further ahead
    /// is rejected rather than trusted, because one such event would push the speed layer's watermark
    /// ahead and make every live event after it late.
    /// </summary>
    public const long DefaultMaxFutureSkewMs = 5 * 60_000L;

    /// <summary>The earliest accepted event time: 2000-01-01T00:00:00Z.</summary>
    public const long MinEventTimeMs = 946_684_800_000L;

    private const int ViewFields = (1 << (int)EventField.EventId) | (1 << (int)EventField.AdId)
        | (1 << (int)EventField.UserId) | (1 << (int)EventField.Ip) | (1 << (int)EventField.UserAgent)
        | (1 << (int)EventField.EventTime);

    private const int ServedFields = (1 << ((int)EventField.EventTime + 1)) - 1;

    private static readonly DecodeResult Malformed = new(RejectReason.MalformedJson, null);

    private byte[] _scratch = [];
    private int _scratchUsed;

    /// <param name="maxFutureSkewMs">How far past the receive time an event time may lie (<see cref="DefaultMaxFutureSkewMs"/>).</param>
    public EventDecoder(long maxFutureSkewMs = DefaultMaxFutureSkewMs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxFutureSkewMs);
        MaxFutureSkewMs = maxFutureSkewMs;
    }

    /// <summary>How far past the receive time an event time may lie (clock skew allowance), in ms.</summary>
    public long MaxFutureSkewMs { get; }

    /// <summary>
    /// Decodes <paramref name="json"/> as an event of <paramref name="kind"/>. <paramref name="nowMs"/> is
    /// the receive time the event-time range is checked against (passed in, so replays decode alike).
    /// On success <paramref name="ev"/> is valid until this decoder is used again or the input is reused.
    /// </summary>
    public DecodeResult Decode(EventKind kind, ReadOnlySpan<byte> json, long nowMs, out AdEvent ev)
    {
        ev = default;
        ev.Kind = kind;
        if (json.Length > MaxRecordBytes)
        {
            return new DecodeResult(RejectReason.TooLarge, null);
        }

        if (!Utf8.IsValid(json))
        {
            return Malformed;
        }

        // Records as the encoder writes them (nearly all) skip the general JSON reader.
        if (CanonicalEventReader.TryRead(kind, json, nowMs + MaxFutureSkewMs, ref ev))
        {
            return DecodeResult.Ok;
        }

        ev = default;
        ev.Kind = kind;
        _scratchUsed = 0;
        var reader = new Utf8JsonReader(json);
        var seen = 0;
        var failure = DecodeResult.Ok;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return Malformed;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = reader.ValueIsEscaped ? IdentifyEscaped(ref reader, kind) : Identify(reader.ValueSpan, kind);
                reader.Read();
                if (field == EventField.Unknown || !failure.IsOk)
                {
                    reader.Skip();
                    continue;
                }

                var bit = 1 << (int)field;
                if ((seen & bit) != 0)
                {
                    reader.Skip();
                    failure = new DecodeResult(RejectReason.DuplicateField, NameOf(field));
                    continue;
                }

                seen |= bit;
                switch (field)
                {
                    case EventField.Score:
                        failure = ReadScore(ref reader, out ev.Score);
                        break;
                    case EventField.CostMicros:
                        failure = ReadCost(ref reader, out ev.CostMicros);
                        break;
                    case EventField.EventTime:
                        failure = ReadEventTime(ref reader, json.Length, nowMs, out ev.EventTimeMs);
                        break;
                    default:
                        var value = ReadString(ref reader, field, json.Length, out failure);
                        switch (field)
                        {
                            case EventField.EventId: ev.EventId = value; break;
                            case EventField.AdId: ev.AdId = value; break;
                            case EventField.CampaignId: ev.CampaignId = value; break;
                            case EventField.AdvertiserId: ev.AdvertiserId = value; break;
                            case EventField.UserId: ev.UserId = value; break;
                            case EventField.Ip: ev.Ip = value; break;
                            case EventField.UserAgent: ev.UserAgent = value; break;
                            case EventField.Placement: ev.Placement = value; break;
                        }

                        break;
                }
            }

            // With a final block, Read throws on an unterminated object or on trailing tokens.
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                failure = Malformed;
            }
        }
        catch (JsonException)
        {
            failure = Malformed;
        }
        catch (InvalidOperationException)
        {
            // Unescaping an escape that is not valid UTF-16 (a lone surrogate such as "\ude00") throws
            // this rather than a JsonException: the text is not well-formed, so the record is malformed.
            failure = Malformed;
        }

        if (failure.IsOk)
        {
            var required = kind == EventKind.Served ? ServedFields : ViewFields;
            if ((seen & required) != required)
            {
                failure = new DecodeResult(RejectReason.MissingField, NameOf(FirstMissing(required & ~seen)));
            }
        }

        if (!failure.IsOk)
        {
            ev = default;
            ev.Kind = kind;
        }

        return failure;
    }

    /// <summary>
    /// Decodes into an allocated <see cref="AdEventRecord"/>: for callers off the hot path
    /// (ingestion, the batch layer, tests).
    /// </summary>
    public bool TryDecodeRecord(EventKind kind, ReadOnlySpan<byte> json, long nowMs, out AdEventRecord? record, out DecodeResult result)
    {
        result = Decode(kind, json, nowMs, out var ev);
        record = result.IsOk ? ToRecord(ev) : null;
        return result.IsOk;
    }

    /// <summary>An allocated copy of <paramref name="ev"/> that outlives the decoder and the input.</summary>
    public static AdEventRecord ToRecord(in AdEvent ev)
    {
        var served = ev.Kind == EventKind.Served;
        return new AdEventRecord
        {
            Kind = ev.Kind,
            EventId = Encoding.UTF8.GetString(ev.EventId),
            AdId = Encoding.UTF8.GetString(ev.AdId),
            CampaignId = served ? Encoding.UTF8.GetString(ev.CampaignId) : null,
            AdvertiserId = served ? Encoding.UTF8.GetString(ev.AdvertiserId) : null,
            UserId = Encoding.UTF8.GetString(ev.UserId),
            Ip = Encoding.UTF8.GetString(ev.Ip),
            UserAgent = Encoding.UTF8.GetString(ev.UserAgent),
            Placement = served ? Encoding.UTF8.GetString(ev.Placement) : null,
            Score = ev.Score,
            CostMicros = ev.CostMicros,
            EventTimeMs = ev.EventTimeMs,
        };
    }

    private ReadOnlySpan<byte> ReadString(scoped ref Utf8JsonReader reader, EventField field, int recordLength, out DecodeResult result)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            result = new DecodeResult(RejectReason.MissingField, NameOf(field));
            return default;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            result = new DecodeResult(RejectReason.WrongType, NameOf(field));
            return default;
        }

        var value = reader.ValueIsEscaped ? Unescape(ref reader, recordLength) : reader.ValueSpan;
        if (value.IsEmpty)
        {
            result = new DecodeResult(RejectReason.EmptyField, NameOf(field));
        }
        else if (value.Length > MaxIdBytes && field is not (EventField.UserAgent or EventField.Placement))
        {
            result = new DecodeResult(RejectReason.FieldTooLong, NameOf(field));
        }
        else
        {
            result = DecodeResult.Ok;
        }

        return value;
    }

    private static DecodeResult ReadScore(ref Utf8JsonReader reader, out double score)
    {
        score = 0;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return new DecodeResult(RejectReason.MissingField, EventFields.Score);
        }

        if (reader.TokenType != JsonTokenType.Number)
        {
            reader.Skip();
            return new DecodeResult(RejectReason.WrongType, EventFields.Score);
        }

        // TryGetDouble refuses values that overflow to infinity.
        if (!reader.TryGetDouble(out score) || !double.IsFinite(score))
        {
            return new DecodeResult(RejectReason.InvalidValue, EventFields.Score);
        }

        return DecodeResult.Ok;
    }

    private static DecodeResult ReadCost(ref Utf8JsonReader reader, out long cost)
    {
        cost = 0;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return new DecodeResult(RejectReason.MissingField, EventFields.CostMicros);
        }

        if (reader.TokenType != JsonTokenType.Number)
        {
            reader.Skip();
            return new DecodeResult(RejectReason.WrongType, EventFields.CostMicros);
        }

        if (!reader.TryGetInt64(out cost) || cost < 0)
        {
            return new DecodeResult(RejectReason.InvalidValue, EventFields.CostMicros);
        }

        return DecodeResult.Ok;
    }

    private DecodeResult ReadEventTime(ref Utf8JsonReader reader, int recordLength, long nowMs, out long timeMs)
    {
        timeMs = 0;
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                if (!reader.TryGetInt64(out timeMs))
                {
                    return new DecodeResult(RejectReason.InvalidValue, EventFields.EventTime);
                }

                break;
            case JsonTokenType.String:
                var text = reader.ValueIsEscaped ? Unescape(ref reader, recordLength) : reader.ValueSpan;
                if (text.IsEmpty)
                {
                    return new DecodeResult(RejectReason.EmptyField, EventFields.EventTime);
                }

                if (!IsoTimestamp.TryParse(text, out timeMs))
                {
                    return new DecodeResult(RejectReason.InvalidValue, EventFields.EventTime);
                }

                break;
            case JsonTokenType.Null:
                return new DecodeResult(RejectReason.MissingField, EventFields.EventTime);
            default:
                reader.Skip();
                return new DecodeResult(RejectReason.WrongType, EventFields.EventTime);
        }

        if (timeMs < MinEventTimeMs)
        {
            return new DecodeResult(RejectReason.EventTimeTooOld, EventFields.EventTime);
        }

        if (timeMs > nowMs + MaxFutureSkewMs)
        {
            return new DecodeResult(RejectReason.EventTimeInFuture, EventFields.EventTime);
        }

        return DecodeResult.Ok;
    }

    private ReadOnlySpan<byte> Unescape(scoped ref Utf8JsonReader reader, int recordLength)
    {
        // Unescaped text is never longer than its escaped form, so a scratch buffer as long as the
        // record holds every string of it: the buffer never moves while an event points into it.
        if (_scratch.Length < recordLength)
        {
            _scratch = new byte[Math.Max(recordLength, 1024)];
        }

        var written = reader.CopyString(_scratch.AsSpan(_scratchUsed));
        var value = _scratch.AsSpan(_scratchUsed, written);
        _scratchUsed += written;
        return value;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static EventField IdentifyEscaped(ref Utf8JsonReader reader, EventKind kind)
    {
        // An escaped name longer than this cannot unescape to a known field name.
        if (reader.ValueSpan.Length > 96)
        {
            return EventField.Unknown;
        }

        Span<byte> name = stackalloc byte[96];
        var length = reader.CopyString(name);
        return Identify(name[..length], kind);
    }

    private static EventField Identify(ReadOnlySpan<byte> name, EventKind kind)
    {
        var served = kind == EventKind.Served;
        switch (name.Length)
        {
            case 2:
                return name.SequenceEqual("ip"u8) ? EventField.Ip : EventField.Unknown;
            case 5:
                if (name.SequenceEqual("ad_id"u8))
                {
                    return EventField.AdId;
                }

                return served && name.SequenceEqual("score"u8) ? EventField.Score : EventField.Unknown;
            case 7:
                return name.SequenceEqual("user_id"u8) ? EventField.UserId : EventField.Unknown;
            case 8:
                return name.SequenceEqual("event_id"u8) ? EventField.EventId : EventField.Unknown;
            case 9:
                return served && name.SequenceEqual("placement"u8) ? EventField.Placement : EventField.Unknown;
            case 10:
                if (name.SequenceEqual("event_time"u8))
                {
                    return EventField.EventTime;
                }

                return name.SequenceEqual("user_agent"u8) ? EventField.UserAgent : EventField.Unknown;
            case 11:
                if (!served)
                {
                    return EventField.Unknown;
                }

                if (name.SequenceEqual("campaign_id"u8))
                {
                    return EventField.CampaignId;
                }

                return name.SequenceEqual("cost_micros"u8) ? EventField.CostMicros : EventField.Unknown;
            case 13:
                return served && name.SequenceEqual("advertiser_id"u8) ? EventField.AdvertiserId : EventField.Unknown;
            default:
                return EventField.Unknown;
        }
    }

    private static EventField FirstMissing(int missingMask) =>
        (EventField)System.Numerics.BitOperations.TrailingZeroCount(missingMask);

    private static string NameOf(EventField field) => field switch
    {
        EventField.EventId => EventFields.EventId,
        EventField.AdId => EventFields.AdId,
        EventField.CampaignId => EventFields.CampaignId,
        EventField.AdvertiserId => EventFields.AdvertiserId,
        EventField.UserId => EventFields.UserId,
        EventField.Ip => EventFields.Ip,
        EventField.UserAgent => EventFields.UserAgent,
        EventField.Placement => EventFields.Placement,
        EventField.Score => EventFields.Score,
        EventField.CostMicros => EventFields.CostMicros,
        EventField.EventTime => EventFields.EventTime,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };
}

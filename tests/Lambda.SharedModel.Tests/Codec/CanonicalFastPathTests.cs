using FsCheck;
using FsCheck.Fluent;
using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Events;

namespace Lambda.SharedModel.Tests.Codec;

/// <summary>
/// The decoder's fast path for records as the encoder writes them must decide exactly as the full JSON
/// reader: a record and the same record with a space after its '{' (which never takes the fast path) decode
/// to the same result and the same values, for encoded records and for byte mutations of them.
/// </summary>
public sealed class CanonicalFastPathTests
{
    private const long NowMs = 1_714_564_800_000;

    private static readonly EventKind[] Kinds = [EventKind.Served, EventKind.View, EventKind.Click];

    // Bytes that hit the fast path's edges: quotes, escapes, number syntax, whitespace, control and non-ASCII bytes.
    private static readonly byte[] Interesting = "\"\\0123456789-.eE+ ,:}{\u0001\t"u8.ToArray().Concat(new byte[] { 0xC3, 0xA9, 0xFF, 0x7F }).ToArray();

    private static readonly byte[][] Encoded =
    [
        Encode(Served(score: 0.8125, cost: 1250)),
        Encode(Served(score: -3, cost: 0)),
        Encode(Served(score: 1e-7, cost: 999_999_999)),
        Encode(Served(score: 12345.678901234567, cost: 7)),
        Encode(new AdEventRecord
        {
            Kind = EventKind.View, EventId = "v-1", AdId = "ad-2", UserId = "usér-日本", Ip = "2001:db8::1",
            UserAgent = "Mozilla/5.0 \"quoted\" tab\t", EventTimeMs = NowMs - 5,
        }),
        Encode(new AdEventRecord
        {
            Kind = EventKind.Click, EventId = "0b5e0f6e-8f53-4c36-9a52-1c0e2f4f1a01", AdId = "ad-17", UserId = "u-42",
            Ip = "192.0.2.10", UserAgent = "Mozilla/5.0 (X11; Linux x86_64)", EventTimeMs = NowMs + 3_600_000,
        }),
        // As JSON Lines and POST bodies carry them: the routing field first.
        Typed("served", Encode(Served(score: 0.5, cost: 10))),
        Typed("ad-views", Encode(new AdEventRecord
        {
            Kind = EventKind.View, EventId = "v-2", AdId = "ad-3", UserId = "u", Ip = "10.0.0.1", UserAgent = "ua", EventTimeMs = NowMs,
        })),
    ];

    private static byte[] Typed(string type, byte[] encoded) => [.. System.Text.Encoding.UTF8.GetBytes($"{{\"type\":\"{type}\","), .. encoded.AsSpan(1)];

    [Fact]
    public void an_encoded_record_takes_the_fast_path_with_the_full_readers_values()
    {
        var ev = default(AdEvent);
        ev.Kind = EventKind.Served;
        Assert.True(CanonicalEventReader.TryRead(EventKind.Served, Encoded[0], NowMs, ref ev));
        Assert.True(CanonicalEventReader.TryRead(EventKind.Served, Encoded[^2], NowMs, ref ev));
        foreach (var input in Encoded)
        {
            DecodesAlike(input);
        }
    }

    [Fact]
    public void a_record_the_fast_path_cannot_prove_valid_goes_to_the_full_reader()
    {
        var ev = default(AdEvent);
        foreach (var input in new[]
                 {
                     """{"event_id":"e","ad_id":"a","user_id":"u","ip":"1.2.3.4","user_agent":"x","event_time":01}""",
                     """{"event_id":"e","ad_id":"a","user_id":"u","ip":"1.2.3.4","user_agent":"x","event_time":1} """,
                     """{"event_id":"e\u0031","ad_id":"a","user_id":"u","ip":"1.2.3.4","user_agent":"x","event_time":1714564800000}""",
                     """{"event_id":"","ad_id":"a","user_id":"u","ip":"1.2.3.4","user_agent":"x","event_time":1714564800000}""",
                     """{"event_id":"e","ad_id":"a","user_id":"u","ip":"1.2.3.4","user_agent":"x","event_time":17145648000000}""",
                 })
        {
            Assert.False(CanonicalEventReader.TryRead(EventKind.View, System.Text.Encoding.UTF8.GetBytes(input), NowMs, ref ev), input);
        }
    }

    [Fact]
    public void mutations_of_encoded_records_decode_as_the_full_reader_decodes_them()
    {
        var mutations =
            from input in Gen.Elements(Encoded)
            from position in Gen.Choose(0, input.Length - 1)
            from replace in Gen.Elements(true, false)
            from value in Gen.Elements(Interesting)
            select Mutate(input, position, replace, value);
        Prop.ForAll(mutations.ToArbitrary(), input => DecodesAlike(input)).Check(Config.QuickThrowOnFailure.WithMaxTest(5_000));
    }

    private static byte[] Mutate(byte[] input, int position, bool replace, byte value)
    {
        var list = input.ToList();
        if (replace)
        {
            list[position] = value;
        }
        else
        {
            list.Insert(position, value);
        }

        return [.. list];
    }

    private static void DecodesAlike(byte[] input)
    {
        // A space after the opening brace changes nothing for JSON but never matches the canonical form.
        var spaced = input.Length > 0 && input[0] == (byte)'{' ? [(byte)'{', (byte)' ', .. input.AsSpan(1)] : input;
        foreach (var kind in Kinds)
        {
            var fast = new EventDecoder().Decode(kind, input, NowMs, out var a);
            var full = new EventDecoder().Decode(kind, spaced, NowMs, out var b);
            Assert.Equal(full.Reason, fast.Reason);
            Assert.Equal(full.Field, fast.Field);
            Assert.Equal(full.IsOk, fast.IsOk);
            if (fast.IsOk)
            {
                Assert.Equivalent(EventDecoder.ToRecord(b), EventDecoder.ToRecord(a), strict: true);
            }
        }
    }

    private static AdEventRecord Served(double score, long cost) => new()
    {
        Kind = EventKind.Served,
        EventId = "e-1",
        AdId = "ad-1",
        CampaignId = "camp-1",
        AdvertiserId = "adv-1",
        UserId = "u-1",
        Ip = "10.0.0.1",
        UserAgent = "Agent/1.0",
        Placement = "homepage-top",
        Score = score,
        CostMicros = cost,
        EventTimeMs = NowMs - 60_000,
    };

    private static byte[] Encode(AdEventRecord record)
    {
        using var encoder = new EventEncoder();
        return encoder.Encode(record);
    }
}

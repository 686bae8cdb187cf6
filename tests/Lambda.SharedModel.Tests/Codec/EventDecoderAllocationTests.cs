using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Events;

namespace Lambda.SharedModel.Tests.Codec;

/// <summary>The hot path's contract: decoding a valid record allocates nothing (not a timing test).</summary>
public sealed class EventDecoderAllocationTests
{
    private const long NowMs = 1714564800000;

    private static readonly byte[] Served = """{"event_id":"0b5e0f6e-8f53-4c36-9a52-1c0e2f4f1a01","ad_id":"ad-17","campaign_id":"camp-3","advertiser_id":"adv-1","user_id":"u-42","ip":"192.0.2.10","user_agent":"Mozilla/5.0 (X11; Linux x86_64)","placement":"top","score":0.5,"cost_micros":1250,"event_time":"2024-05-01T11:59:30.123Z","extra":{"a":[1,2,{"b":null}]}}"""u8.ToArray();
    private static readonly byte[] EscapedView = """{"event_id":"v\u0031","\u0061d_id":"ad\/17","user_id":"u\"42\"","ip":"192.0.2.10","user_agent":"Agent \u00e9\t","event_time":1714564700000}"""u8.ToArray();

    [Fact]
    public void decoding_valid_records_allocates_nothing()
    {
        var decoder = new EventDecoder();
        var checksum = 0L;
        // Warm up: JIT, tiering and the decoder's scratch buffer.
        for (var i = 0; i < 1000; i++)
        {
            checksum += DecodeBoth(decoder);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            checksum += DecodeBoth(decoder);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(11_000L * 2 * 2, checksum);
    }

    [Fact]
    public void bot_check_allocates_nothing()
    {
        var rules = Lambda.SharedModel.Bots.BotRules.Default;
        var bots = 0;
        for (var i = 0; i < 1000; i++)
        {
            bots += Check(rules);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            bots += Check(rules);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(11_000 * 2, bots);

        static int Check(Lambda.SharedModel.Bots.BotRules rules) =>
            (rules.IsBot("198.51.100.7"u8, "Mozilla/5.0"u8) ? 1 : 0)
            + (rules.IsBot("2001:db8:1::7"u8, "Mozilla/5.0 (compatible; Googlebot/2.1)"u8) ? 1 : 0)
            + (rules.IsBot("192.0.2.1"u8, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"u8) ? 1 : 0);
    }

    private static long DecodeBoth(EventDecoder decoder)
    {
        var ok = 0L;
        if (decoder.Decode(EventKind.Served, Served, NowMs, out var served).IsOk)
        {
            ok += served.AdId.Length == 5 ? 2 : 1;
        }

        if (decoder.Decode(EventKind.View, EscapedView, NowMs, out var view).IsOk)
        {
            ok += view.AdId.Length == 5 ? 2 : 1;
        }

        return ok;
    }
}

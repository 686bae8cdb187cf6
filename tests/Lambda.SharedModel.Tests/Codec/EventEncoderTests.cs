using System.Buffers;
using System.Text;
using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Events;

namespace Lambda.SharedModel.Tests.Codec;

public sealed class EventEncoderTests
{
    private const long NowMs = 1714564800000;

    private static readonly AdEventRecord Served = new()
    {
        Kind = EventKind.Served,
        EventId = "e-1",
        AdId = "ad-17",
        CampaignId = "camp-é",
        AdvertiserId = "adv-1",
        UserId = "u\"42\"",
        Ip = "192.0.2.10",
        UserAgent = "Mozilla/5.0 (X11; +http://x) <b>&\t😀",
        Placement = "top",
        Score = 0.1,
        CostMicros = 1250,
        EventTimeMs = 1714564770123,
    };

    [Fact]
    public void served_record_is_written_as_compact_json_in_wire_order()
    {
        using var encoder = new EventEncoder();

        var json = Encoding.UTF8.GetString(encoder.Encode(Served));

        Assert.Equal(
            """{"event_id":"e-1","ad_id":"ad-17","campaign_id":"camp-é","advertiser_id":"adv-1","user_id":"u\"42\"","ip":"192.0.2.10","user_agent":"Mozilla/5.0 (X11; +http://x) <b>&\t\uD83D\uDE00","placement":"top","score":0.1,"cost_micros":1250,"event_time":1714564770123}""",
            json);
    }

    [Fact]
    public void view_record_has_only_view_fields()
    {
        using var encoder = new EventEncoder();
        var view = new AdEventRecord
        {
            Kind = EventKind.View,
            EventId = "v-1",
            AdId = "ad-17",
            UserId = "u",
            Ip = "::1",
            UserAgent = "ua",
            EventTimeMs = 946684800000,
            CampaignId = "ignored",
            Score = 3,
        };

        var json = Encoding.UTF8.GetString(encoder.Encode(view));

        Assert.Equal("""{"event_id":"v-1","ad_id":"ad-17","user_id":"u","ip":"::1","user_agent":"ua","event_time":946684800000}""", json);
    }

    [Fact]
    public void encoded_record_decodes_to_an_equal_record()
    {
        using var encoder = new EventEncoder();
        var decoder = new EventDecoder();

        Assert.True(decoder.TryDecodeRecord(EventKind.Served, encoder.Encode(Served), NowMs, out var decoded, out var result), result.ToString());

        Assert.Equal(Served, decoded);
    }

    [Fact]
    public void encoder_appends_consecutive_records_to_one_buffer()
    {
        using var encoder = new EventEncoder();
        var buffer = new ArrayBufferWriter<byte>();

        encoder.Write(Served, buffer);
        buffer.Write("\n"u8);
        encoder.Write(Served with { EventId = "e-2" }, buffer);

        var lines = Encoding.UTF8.GetString(buffer.WrittenSpan).Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"event_id\":\"e-2\"", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void served_record_without_campaign_cannot_be_encoded()
    {
        using var encoder = new EventEncoder();

        Assert.Throws<ArgumentException>(() => encoder.Encode(Served with { CampaignId = null }));
        Assert.Throws<ArgumentException>(() => encoder.Encode(Served with { Score = double.NaN }));
    }

    [Fact]
    public void try_decode_record_reports_the_rejection()
    {
        var ok = new EventDecoder().TryDecodeRecord(EventKind.View, "{}"u8, NowMs, out var record, out var result);

        Assert.False(ok);
        Assert.Null(record);
        Assert.Equal(new DecodeResult(RejectReason.MissingField, "event_id"), result);
    }
}

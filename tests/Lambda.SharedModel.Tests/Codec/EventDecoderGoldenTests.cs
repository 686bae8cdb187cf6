using System.Text;
using System.Text.Json;
using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Events;

namespace Lambda.SharedModel.Tests.Codec;

/// <summary>Freezes the wire format: each golden line holds an input record and the values it must decode to.</summary>
public sealed class EventDecoderGoldenTests
{
    private static readonly string GoldenPath = Path.Combine(AppContext.BaseDirectory, "Codec", "golden", "decode-golden.jsonl");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var line in File.ReadLines(GoldenPath).Where(l => l.Length > 0))
        {
            using var doc = JsonDocument.Parse(line);
            data.Add(doc.RootElement.GetProperty("name").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void golden_record_decodes_to_expected_values(string name)
    {
        var line = File.ReadLines(GoldenPath).Single(l => l.Contains($"\"name\":\"{name}\"", StringComparison.Ordinal));
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        Assert.True(Topics.TryGetKind(root.GetProperty("topic").GetString()!, out var kind));
        // The raw text keeps the input's escapes and spacing byte for byte.
        var input = Encoding.UTF8.GetBytes(root.GetProperty("input").GetRawText());
        var nowMs = root.GetProperty("now_ms").GetInt64();
        var expected = root.GetProperty("expected");

        var decoder = new EventDecoder();
        var result = decoder.Decode(kind, input, nowMs, out var ev);

        Assert.True(result.IsOk, result.ToString());
        var record = EventDecoder.ToRecord(ev);
        Assert.Equal(kind, record.Kind);
        Assert.Equal(expected.GetProperty("event_id").GetString(), record.EventId);
        Assert.Equal(expected.GetProperty("ad_id").GetString(), record.AdId);
        Assert.Equal(expected.GetProperty("user_id").GetString(), record.UserId);
        Assert.Equal(expected.GetProperty("ip").GetString(), record.Ip);
        Assert.Equal(expected.GetProperty("user_agent").GetString(), record.UserAgent);
        Assert.Equal(expected.GetProperty("event_time_ms").GetInt64(), record.EventTimeMs);
        if (kind == EventKind.Served)
        {
            Assert.Equal(expected.GetProperty("campaign_id").GetString(), record.CampaignId);
            Assert.Equal(expected.GetProperty("advertiser_id").GetString(), record.AdvertiserId);
            Assert.Equal(expected.GetProperty("placement").GetString(), record.Placement);
            Assert.Equal(expected.GetProperty("score").GetDouble(), record.Score);
            Assert.Equal(expected.GetProperty("cost_micros").GetInt64(), record.CostMicros);
        }
        else
        {
            Assert.Null(record.CampaignId);
            Assert.Null(record.AdvertiserId);
            Assert.Null(record.Placement);
            Assert.Equal(0, record.CostMicros);
        }
    }

    [Fact]
    public void golden_file_covers_every_event_kind()
    {
        var topics = File.ReadLines(GoldenPath).Where(l => l.Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("topic").GetString()!)
            .ToHashSet();
        Assert.Equal(Topics.EventTopics.ToHashSet(), topics);
    }

    [Fact]
    public void unescaped_strings_are_slices_of_the_input()
    {
        var input = """{"event_id":"v-1","ad_id":"ad-1","user_id":"u","ip":"192.0.2.1","user_agent":"ua","event_time":1714564800000}"""u8.ToArray();
        var decoder = new EventDecoder();

        Assert.True(decoder.Decode(EventKind.View, input, 1714564800000, out var ev).IsOk);

        Assert.True(input.AsSpan().Overlaps(ev.AdId));
        Assert.True(input.AsSpan().Overlaps(ev.UserAgent));
    }

    [Fact]
    public void escaped_strings_survive_while_later_fields_are_unescaped()
    {
        // Several escaped fields in one record share the decoder's scratch buffer without overwriting each other.
        var input = """{"event_id":"\u0041","ad_id":"\u0042\u0043","user_id":"\u0044","ip":"\u0031.2.3.4","user_agent":"\u0045\n","event_time":1714564800000}"""u8.ToArray();
        var decoder = new EventDecoder();

        Assert.True(decoder.Decode(EventKind.Click, input, 1714564800000, out var ev).IsOk);

        Assert.Equal("A", Encoding.UTF8.GetString(ev.EventId));
        Assert.Equal("BC", Encoding.UTF8.GetString(ev.AdId));
        Assert.Equal("D", Encoding.UTF8.GetString(ev.UserId));
        Assert.Equal("1.2.3.4", Encoding.UTF8.GetString(ev.Ip));
        Assert.Equal("E\n", Encoding.UTF8.GetString(ev.UserAgent));
    }
}

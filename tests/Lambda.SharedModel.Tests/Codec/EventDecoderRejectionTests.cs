using System.Text;
using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Events;

namespace Lambda.SharedModel.Tests.Codec;

/// <summary>One row per way a record is rejected: input, expected reason and field.</summary>
public sealed class EventDecoderRejectionTests
{
    private const long NowMs = 1714564800000; // 2024-05-01T12:00:00Z

    // A valid view's fields after event_id, and a valid served record's fields after event_id.
    private const string ViewRest = "\"ad_id\":\"a\",\"user_id\":\"u\",\"ip\":\"1.2.3.4\",\"user_agent\":\"ua\",\"event_time\":1714564800000}";
    private const string View = "{\"event_id\":\"v\"," + ViewRest;
    private const string ServedHead = "{\"event_id\":\"s\",\"ad_id\":\"a\",\"campaign_id\":\"c\",\"advertiser_id\":\"adv\",\"user_id\":\"u\",\"ip\":\"1.2.3.4\",\"user_agent\":\"ua\",\"placement\":\"p\",";

    [Theory]
    // Malformed JSON
    [InlineData(EventKind.View, "", RejectReason.MalformedJson, null)]
    [InlineData(EventKind.View, "   ", RejectReason.MalformedJson, null)]
    [InlineData(EventKind.View, "not json", RejectReason.MalformedJson, null)]
    [InlineData(EventKind.View, "[1,2]", RejectReason.MalformedJson, null)]
    [InlineData(EventKind.View, "\"a string\"", RejectReason.MalformedJson, null)]
    [InlineData(EventKind.View, "null", RejectReason.MalformedJson, null)]
    [InlineData(EventKind.View, "{\"event_id\":\"v\"", RejectReason.MalformedJson, null)]
    [InlineData(EventKind.View, "{\"event_id\":\"v\",}", RejectReason.MalformedJson, null)]
    [InlineData(EventKind.View, "{\"event_id\" \"v\"}", RejectReason.MalformedJson, null)]
    [InlineData(EventKind.View, View + " x", RejectReason.MalformedJson, null)]
    [InlineData(EventKind.View, View + View, RejectReason.MalformedJson, null)]
    [InlineData(EventKind.View, "/* c */" + View, RejectReason.MalformedJson, null)]
    [InlineData(EventKind.View, "{\"event_id\":'v'," + ViewRest, RejectReason.MalformedJson, null)]
    [InlineData(EventKind.View, "{\"event_id\":\"v\",\"x\":[1,2," + ViewRest, RejectReason.MalformedJson, null)]
    // malformed JSON wins over an earlier field error
    [InlineData(EventKind.View, "{\"event_id\":7," + ViewRest + "}", RejectReason.MalformedJson, null)]
    // Missing fields (the first missing one in wire order is named)
    [InlineData(EventKind.View, "{\"event_id\":\"v\",\"ad_id\":\"a\",\"ip\":\"1.2.3.4\",\"user_agent\":\"ua\",\"event_time\":1714564800000}", RejectReason.MissingField, "user_id")]
    [InlineData(EventKind.View, "{\"event_id\":\"v\",\"ad_id\":\"a\",\"user_id\":\"u\",\"ip\":\"1.2.3.4\",\"user_agent\":\"ua\"}", RejectReason.MissingField, "event_time")]
    [InlineData(EventKind.View, "{}", RejectReason.MissingField, "event_id")]
    [InlineData(EventKind.Click, "{\"Event_Id\":\"v\"," + ViewRest, RejectReason.MissingField, "event_id")]
    [InlineData(EventKind.Served, ServedHead + "\"score\":1,\"event_time\":1714564800000}", RejectReason.MissingField, "cost_micros")]
    [InlineData(EventKind.Served, View, RejectReason.MissingField, "campaign_id")]
    [InlineData(EventKind.View, "{\"event_id\":null," + ViewRest, RejectReason.MissingField, "event_id")]
    [InlineData(EventKind.Served, ServedHead + "\"score\":null,\"cost_micros\":1,\"event_time\":1714564800000}", RejectReason.MissingField, "score")]
    // Empty strings
    [InlineData(EventKind.View, "{\"event_id\":\"\"," + ViewRest, RejectReason.EmptyField, "event_id")]
    [InlineData(EventKind.View, "{\"event_id\":\"v\",\"ad_id\":\"a\",\"user_id\":\"u\",\"ip\":\"1.2.3.4\",\"user_agent\":\"\",\"event_time\":1714564800000}", RejectReason.EmptyField, "user_agent")]
    [InlineData(EventKind.View, "{\"event_id\":\"v\",\"ad_id\":\"a\",\"user_id\":\"u\",\"ip\":\"1.2.3.4\",\"user_agent\":\"ua\",\"event_time\":\"\"}", RejectReason.EmptyField, "event_time")]
    [InlineData(EventKind.Served, "{\"event_id\":\"s\",\"ad_id\":\"a\",\"campaign_id\":\"c\",\"advertiser_id\":\"adv\",\"user_id\":\"u\",\"ip\":\"1.2.3.4\",\"user_agent\":\"ua\",\"placement\":\"\",\"score\":1,\"cost_micros\":1,\"event_time\":1714564800000}", RejectReason.EmptyField, "placement")]
    // Wrong JSON types
    [InlineData(EventKind.View, "{\"event_id\":17," + ViewRest, RejectReason.WrongType, "event_id")]
    [InlineData(EventKind.View, "{\"event_id\":{\"id\":\"v\"}," + ViewRest, RejectReason.WrongType, "event_id")]
    [InlineData(EventKind.View, "{\"event_id\":[\"v\"]," + ViewRest, RejectReason.WrongType, "event_id")]
    [InlineData(EventKind.View, "{\"event_id\":true," + ViewRest, RejectReason.WrongType, "event_id")]
    [InlineData(EventKind.Served, ServedHead + "\"score\":\"0.5\",\"cost_micros\":1,\"event_time\":1714564800000}", RejectReason.WrongType, "score")]
    [InlineData(EventKind.Served, ServedHead + "\"score\":1,\"cost_micros\":\"5\",\"event_time\":1714564800000}", RejectReason.WrongType, "cost_micros")]
    [InlineData(EventKind.View, "{\"event_id\":\"v\",\"ad_id\":\"a\",\"user_id\":\"u\",\"ip\":\"1.2.3.4\",\"user_agent\":\"ua\",\"event_time\":true}", RejectReason.WrongType, "event_time")]
    [InlineData(EventKind.View, "{\"event_id\":\"v\",\"ad_id\":\"a\",\"user_id\":\"u\",\"ip\":\"1.2.3.4\",\"user_agent\":\"ua\",\"event_time\":[1714564800000]}", RejectReason.WrongType, "event_time")]
    // the first bad field in document order is reported
    [InlineData(EventKind.View, "{\"event_id\":\"v\",\"ad_id\":1,\"user_id\":\"\",\"ip\":\"1.2.3.4\",\"user_agent\":\"ua\",\"event_time\":1714564800000}", RejectReason.WrongType, "ad_id")]
    // Invalid values
    [InlineData(EventKind.Served, ServedHead + "\"score\":1,\"cost_micros\":-1,\"event_time\":1714564800000}", RejectReason.InvalidValue, "cost_micros")]
    [InlineData(EventKind.Served, ServedHead + "\"score\":1,\"cost_micros\":1.5,\"event_time\":1714564800000}", RejectReason.InvalidValue, "cost_micros")]
    [InlineData(EventKind.Served, ServedHead + "\"score\":1,\"cost_micros\":99999999999999999999,\"event_time\":1714564800000}", RejectReason.InvalidValue, "cost_micros")]
    [InlineData(EventKind.Served, ServedHead + "\"score\":1e999,\"cost_micros\":1,\"event_time\":1714564800000}", RejectReason.InvalidValue, "score")]
    [InlineData(EventKind.Served, ServedHead + "\"score\":-1e999,\"cost_micros\":1,\"event_time\":1714564800000}", RejectReason.InvalidValue, "score")]
    [InlineData(EventKind.View, "{\"event_id\":\"v\",\"ad_id\":\"a\",\"user_id\":\"u\",\"ip\":\"1.2.3.4\",\"user_agent\":\"ua\",\"event_time\":\"yesterday\"}", RejectReason.InvalidValue, "event_time")]
    [InlineData(EventKind.View, "{\"event_id\":\"v\",\"ad_id\":\"a\",\"user_id\":\"u\",\"ip\":\"1.2.3.4\",\"user_agent\":\"ua\",\"event_time\":\"2024-05-01T12:00:00\"}", RejectReason.InvalidValue, "event_time")]
    [InlineData(EventKind.View, "{\"event_id\":\"v\",\"ad_id\":\"a\",\"user_id\":\"u\",\"ip\":\"1.2.3.4\",\"user_agent\":\"ua\",\"event_time\":\"2024-02-30T00:00:00Z\"}", RejectReason.InvalidValue, "event_time")]
    [InlineData(EventKind.View, "{\"event_id\":\"v\",\"ad_id\":\"a\",\"user_id\":\"u\",\"ip\":\"1.2.3.4\",\"user_agent\":\"ua\",\"event_time\":\"2024-05-01T24:00:00Z\"}", RejectReason.InvalidValue, "event_time")]
    [InlineData(EventKind.View, "{\"event_id\":\"v\",\"ad_id\":\"a\",\"user_id\":\"u\",\"ip\":\"1.2.3.4\",\"user_agent\":\"ua\",\"event_time\":\"2024-05-01T12:00:00Zjunk\"}", RejectReason.InvalidValue, "event_time")]
    [InlineData(EventKind.View, "{\"event_id\":\"v\",\"ad_id\":\"a\",\"user_id\":\"u\",\"ip\":\"1.2.3.4\",\"user_agent\":\"ua\",\"event_time\":1.7145648E12}", RejectReason.InvalidValue, "event_time")]
    // Event time range (now is 2024-05-01T12:00:00Z)
    [InlineData(EventKind.View, "{\"event_id\":\"v\",\"ad_id\":\"a\",\"user_id\":\"u\",\"ip\":\"1.2.3.4\",\"user_agent\":\"ua\",\"event_time\":1714651200001}", RejectReason.EventTimeInFuture, "event_time")]
    [InlineData(EventKind.View, "{\"event_id\":\"v\",\"ad_id\":\"a\",\"user_id\":\"u\",\"ip\":\"1.2.3.4\",\"user_agent\":\"ua\",\"event_time\":\"2024-05-02T12:00:00.001Z\"}", RejectReason.EventTimeInFuture, "event_time")]
    [InlineData(EventKind.View, "{\"event_id\":\"v\",\"ad_id\":\"a\",\"user_id\":\"u\",\"ip\":\"1.2.3.4\",\"user_agent\":\"ua\",\"event_time\":946684799999}", RejectReason.EventTimeTooOld, "event_time")]
    [InlineData(EventKind.View, "{\"event_id\":\"v\",\"ad_id\":\"a\",\"user_id\":\"u\",\"ip\":\"1.2.3.4\",\"user_agent\":\"ua\",\"event_time\":\"1999-12-31T23:59:59.999Z\"}", RejectReason.EventTimeTooOld, "event_time")]
    [InlineData(EventKind.View, "{\"event_id\":\"v\",\"ad_id\":\"a\",\"user_id\":\"u\",\"ip\":\"1.2.3.4\",\"user_agent\":\"ua\",\"event_time\":-1}", RejectReason.EventTimeTooOld, "event_time")]
    // Duplicate known fields are rejected, never "last wins"
    [InlineData(EventKind.View, "{\"event_id\":\"v\",\"event_id\":\"w\"," + ViewRest, RejectReason.DuplicateField, "event_id")]
    [InlineData(EventKind.View, "{\"event_id\":\"v\",\"\\u0065vent_id\":\"w\"," + ViewRest, RejectReason.DuplicateField, "event_id")]
    public void invalid_record_is_rejected_with_reason_and_field(EventKind kind, string json, RejectReason reason, string? field)
    {
        var decoder = new EventDecoder();

        var result = decoder.Decode(kind, Encoding.UTF8.GetBytes(json), NowMs, out var ev);

        Assert.Equal(reason, result.Reason);
        Assert.Equal(field, result.Field);
        Assert.False(result.IsOk);
        Assert.True(ev.EventId.IsEmpty);
        Assert.False(string.IsNullOrEmpty(result.Message));
    }

    [Fact]
    public void record_over_64_kib_is_too_large_before_anything_else()
    {
        var json = new byte[EventDecoder.MaxRecordBytes + 1];
        json.AsSpan().Fill((byte)'x');

        var result = new EventDecoder().Decode(EventKind.View, json, NowMs, out _);

        Assert.Equal(new DecodeResult(RejectReason.TooLarge, null), result);
    }

    [Fact]
    public void record_of_exactly_64_kib_is_accepted()
    {
        var head = "{\"event_id\":\"v\",\"pad\":\"";
        var tail = "\"," + ViewRest;
        var json = head + new string('p', EventDecoder.MaxRecordBytes - head.Length - tail.Length) + tail;
        Assert.Equal(EventDecoder.MaxRecordBytes, Encoding.UTF8.GetByteCount(json));

        Assert.True(new EventDecoder().Decode(EventKind.View, Encoding.UTF8.GetBytes(json), NowMs, out _).IsOk);
    }

    [Fact]
    public void invalid_utf8_is_malformed_json()
    {
        var json = Encoding.UTF8.GetBytes(View);
        json[json.AsSpan().IndexOf("ua"u8)] = 0xff;

        var result = new EventDecoder().Decode(EventKind.View, json, NowMs, out _);

        Assert.Equal(RejectReason.MalformedJson, result.Reason);
    }

    [Theory]
    [InlineData("event_id")]
    [InlineData("ad_id")]
    [InlineData("user_id")]
    [InlineData("ip")]
    public void id_of_128_bytes_is_accepted_and_129_rejected(string field)
    {
        var decoder = new EventDecoder();

        Assert.True(decoder.Decode(EventKind.View, WithField(field, new string('é', 64)), NowMs, out _).IsOk);
        var result = decoder.Decode(EventKind.View, WithField(field, new string('é', 64) + "x"), NowMs, out _);

        Assert.Equal(new DecodeResult(RejectReason.FieldTooLong, field), result);
    }

    [Fact]
    public void escaped_id_is_measured_after_unescaping()
    {
        // 128 escapes of 6 bytes each unescape to 128 bytes: within the limit.
        var escaped = string.Concat(Enumerable.Repeat("\\u0041", 128));

        Assert.True(new EventDecoder().Decode(EventKind.View, WithField("ad_id", escaped), NowMs, out var ev).IsOk);
        Assert.Equal(128, ev.AdId.Length);
    }

    [Fact]
    public void long_user_agent_is_not_an_id_and_is_accepted()
    {
        Assert.True(new EventDecoder().Decode(EventKind.View, WithField("user_agent", new string('u', 2000)), NowMs, out _).IsOk);
    }

    [Fact]
    public void event_time_exactly_the_configured_skew_ahead_is_accepted()
    {
        var json = "{\"event_id\":\"v\",\"ad_id\":\"a\",\"user_id\":\"u\",\"ip\":\"1.2.3.4\",\"user_agent\":\"ua\",\"event_time\":1714651200000}";

        Assert.True(new EventDecoder(maxFutureSkewMs: 24 * 3_600_000L).Decode(EventKind.View, Encoding.UTF8.GetBytes(json), NowMs, out _).IsOk);
        Assert.Equal(RejectReason.EventTimeInFuture, new EventDecoder().Decode(EventKind.View, Encoding.UTF8.GetBytes(json), NowMs, out _).Reason);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(EventDecoder.DefaultMaxFutureSkewMs, true)]
    [InlineData(EventDecoder.DefaultMaxFutureSkewMs + 1, false)]
    [InlineData(23 * 3_600_000L, false)]
    public void by_default_an_event_time_more_than_five_minutes_ahead_is_in_the_future(long aheadMs, bool accepted)
    {
        // Canonical (fast path) and spaced (full reader) forms decide alike.
        foreach (var separator in new[] { ",", ", " })
        {
            var json = $"{{\"event_id\":\"v\",\"ad_id\":\"a\",\"user_id\":\"u\",\"ip\":\"1.2.3.4\",\"user_agent\":\"ua\"{separator}\"event_time\":{NowMs + aheadMs}}}";
            var result = new EventDecoder().Decode(EventKind.View, Encoding.UTF8.GetBytes(json), NowMs, out _);
            Assert.Equal(accepted ? RejectReason.None : RejectReason.EventTimeInFuture, result.Reason);
        }
    }

    [Fact]
    public void decoder_is_reusable_after_a_rejection()
    {
        var decoder = new EventDecoder();
        Assert.False(decoder.Decode(EventKind.View, "{\"event_id\":"u8, NowMs, out _).IsOk);

        var result = decoder.Decode(EventKind.View, Encoding.UTF8.GetBytes(View), NowMs, out var ev);

        Assert.True(result.IsOk);
        Assert.Equal("v", Encoding.UTF8.GetString(ev.EventId));
    }

    [Fact]
    public void message_names_the_field()
    {
        var result = new DecodeResult(RejectReason.MissingField, "user_id");

        Assert.Equal("missing required field 'user_id'", result.Message);
        Assert.Equal("missing_field: missing required field 'user_id'", result.ToString());
    }

    private static byte[] WithField(string field, string value)
    {
        var fields = new Dictionary<string, string>
        {
            ["event_id"] = "v",
            ["ad_id"] = "a",
            ["user_id"] = "u",
            ["ip"] = "1.2.3.4",
            ["user_agent"] = "ua",
        };
        fields[field] = value;
        var body = string.Join(",", fields.Select(f => $"\"{f.Key}\":\"{f.Value}\""));
        return Encoding.UTF8.GetBytes("{" + body + ",\"event_time\":1714564800000}");
    }
}

using System.Text;
using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Events;

namespace Lambda.SharedModel.Tests.Codec;

/// <summary>Freezes the dead-letter JSON written to the dead-letters topic.</summary>
public sealed class DeadLetterCodecTests
{
    private static readonly string[] GoldenLines =
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Codec", "golden", "dead-letters.jsonl"));

    private static readonly DeadLetter MissingUser = new()
    {
        Reason = RejectReason.MissingField,
        Message = "missing required field 'user_id'",
        Field = "user_id",
        Source = "data/views.jsonl",
        Line = 3,
        Topic = Topics.Views,
        Original = Encoding.UTF8.GetBytes("{\"event_id\":\"v\",\"ad_id\":\"a\\u00e9\",\"note\":\"café\"}"),
    };

    private static readonly DeadLetter NotUtf8 = new()
    {
        Reason = RejectReason.MalformedJson,
        Message = "malformed JSON: the record must be one well-formed UTF-8 JSON object",
        Source = "speed:ad-views[2]@1234",
        Original = new byte[] { (byte)'{', (byte)'"', (byte)'e', (byte)'v', (byte)'e', (byte)'n', (byte)'t', (byte)'_', (byte)'i', (byte)'d', (byte)'"', (byte)':', (byte)'"', 0xff, 0xfe, (byte)'"', (byte)'}' },
    };

    [Fact]
    public void dead_letter_with_utf8_original_encodes_to_golden_json()
    {
        Assert.Equal(GoldenLines[0], Encoding.UTF8.GetString(DeadLetterCodec.Encode(MissingUser)));
    }

    [Fact]
    public void dead_letter_with_binary_original_has_null_text_and_base64()
    {
        Assert.Equal(GoldenLines[1], Encoding.UTF8.GetString(DeadLetterCodec.Encode(NotUtf8)));
    }

    [Fact]
    public void golden_dead_letters_decode_to_the_same_values()
    {
        Assert.Equal(MissingUser, DeadLetterCodec.Decode(Encoding.UTF8.GetBytes(GoldenLines[0])));
        Assert.Equal(NotUtf8, DeadLetterCodec.Decode(Encoding.UTF8.GetBytes(GoldenLines[1])));
    }

    [Fact]
    public void dead_letter_from_a_decode_result_keeps_reason_field_and_bytes()
    {
        var original = "{\"event_id\":\"v\"}"u8.ToArray();
        var result = new EventDecoder().Decode(EventKind.Click, original, 1714564800000, out _);

        var letter = DeadLetter.From(result, original, "stdin", 7, Topics.Clicks);

        Assert.Equal(RejectReason.MissingField, letter.Reason);
        Assert.Equal("ad_id", letter.Field);
        Assert.Equal("missing required field 'ad_id'", letter.Message);
        Assert.Equal(original, letter.Original.ToArray());
        Assert.Equal(letter, DeadLetterCodec.Decode(DeadLetterCodec.Encode(letter)));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"reason\":\"no_such_reason\",\"message\":\"m\",\"source\":\"s\",\"original_base64\":\"\"}")]
    [InlineData("{\"reason\":\"too_large\",\"message\":\"m\",\"source\":\"s\"}")]
    [InlineData("{\"reason\":\"too_large\",\"message\":\"m\",\"source\":\"s\",\"original_base64\":\"!!\"}")]
    [InlineData("{\"reason\":\"too_large\",\"message\":\"m\",\"source\":\"s\",\"line\":\"x\",\"original_base64\":\"\"}")]
    [InlineData("{\"reason\":")]
    public void text_that_is_not_a_dead_letter_is_a_format_error(string json)
    {
        Assert.Throws<FormatException>(() => DeadLetterCodec.Decode(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void every_reject_reason_code_parses_back()
    {
        foreach (var reason in Enum.GetValues<RejectReason>())
        {
            Assert.Equal(reason, RejectReasons.ParseCode(reason.Code()));
        }
    }

    [Fact]
    public void reject_reason_numbers_and_codes_are_stable()
    {
        // Persisted in dead letters: renumbering or renaming breaks every stored letter.
        var expected = "0 none,1 malformed_json,2 missing_field,3 empty_field,4 wrong_type,5 event_time_in_future,"
            + "6 event_time_too_old,7 too_large,8 field_too_long,9 unknown_topic,10 invalid_value,11 duplicate_field,12 campaign_owner_mismatch";

        var actual = string.Join(",", Enum.GetValues<RejectReason>().Select(r => $"{(int)r} {r.Code()}"));

        Assert.Equal(expected, actual);
    }
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Events;

namespace Lambda.SharedModel.Tests.Codec;

/// <summary>
/// Hostile input for the decoder: random bytes, mutations of the golden records (flips, cuts,
/// splices, truncation), huge strings, deep nesting and wrong types. The decoder never throws, and
/// every rejection carries a reason (and names its field when one field is at fault).
/// </summary>
public sealed class EventDecoderFuzzTests
{
    private static readonly string GoldenPath = Path.Combine(AppContext.BaseDirectory, "Codec", "golden", "decode-golden.jsonl");

    private static readonly EventKind[] Kinds = [EventKind.Served, EventKind.View, EventKind.Click];

    private static readonly string[] KnownFields =
    [
        EventFields.EventId, EventFields.AdId, EventFields.CampaignId, EventFields.AdvertiserId, EventFields.UserId,
        EventFields.Ip, EventFields.UserAgent, EventFields.Placement, EventFields.Score, EventFields.CostMicros, EventFields.EventTime,
    ];

    /// <summary>Golden inputs with the receive time each was recorded against.</summary>
    private static readonly (EventKind Kind, byte[] Input, long NowMs)[] Golden = [.. File.ReadLines(GoldenPath)
        .Where(l => l.Length > 0)
        .Select(l =>
        {
            using var doc = JsonDocument.Parse(l);
            var root = doc.RootElement;
            Topics.TryGetKind(root.GetProperty("topic").GetString()!, out var kind);
            return (kind, Encoding.UTF8.GetBytes(root.GetProperty("input").GetRawText()), root.GetProperty("now_ms").GetInt64());
        })];

    /// <summary>Decodes <paramref name="input"/> as every kind; fails the test if the decoder throws or rejects without a reason.</summary>
    private static void DecodesSafely(byte[] input, long nowMs)
    {
        var decoder = new EventDecoder();
        foreach (var kind in Kinds)
        {
            DecodeResult result;
            try
            {
                result = decoder.Decode(kind, input, nowMs, out var ev);
                if (result.IsOk)
                {
                    // An accepted record must be whole: every required string present.
                    var record = EventDecoder.ToRecord(ev);
                    Assert.False(string.IsNullOrEmpty(record.EventId) || string.IsNullOrEmpty(record.AdId) || string.IsNullOrEmpty(record.UserId));
                    continue;
                }
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"decoding as {kind} threw for {Show(input)}", e);
            }

            Assert.True(Enum.IsDefined(result.Reason), $"undefined reason {result.Reason} for {Show(input)}");
            Assert.False(string.IsNullOrEmpty(result.Reason.Code()));
            Assert.False(string.IsNullOrEmpty(result.Message));
            if (result.Reason is not (RejectReason.MalformedJson or RejectReason.TooLarge or RejectReason.UnknownTopic))
            {
                Assert.Contains(result.Field, KnownFields);
            }
        }
    }

    private static string Show(byte[] input) => Convert.ToBase64String(input.AsSpan(0, Math.Min(input.Length, 512)));

    private static Gen<byte[]> Mutations() =>
        from golden in Gen.Elements(Golden)
        from operation in Gen.Choose(0, 6)
        from position in Gen.Choose(0, golden.Input.Length)
        from length in Gen.Choose(1, 40)
        from noise in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), length)
        select Mutate(golden.Input, operation, position, length, noise);

    private static readonly byte[] Punctuation = "{}[]\",:\\ 0tfn"u8.ToArray();

    private static byte[] Mutate(byte[] input, int operation, int position, int length, byte[] noise)
    {
        var bytes = input.ToList();
        var at = Math.Min(position, bytes.Count);
        var span = Math.Min(length, bytes.Count - at);
        switch (operation)
        {
            case 0: // flip bytes
                for (var i = 0; i < span; i++)
                {
                    bytes[at + i] ^= noise[i];
                }

                break;
            case 1: // truncate
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            case 2: // cut a range out
                bytes.RemoveRange(at, span);
                break;
            case 3: // insert noise
                bytes.InsertRange(at, noise);
                break;
            case 4: // insert JSON punctuation, which moves the structure rather than the text
                bytes.InsertRange(at, noise.Select(b => Punctuation[b % Punctuation.Length]));
                break;
            case 5: // duplicate a range (often a whole field)
                bytes.InsertRange(at, bytes.GetRange(at, span));
                break;
            default: // splice in a piece of another golden record
                var other = Golden[noise[0] % Golden.Length].Input;
                var from = noise[^1] % other.Length;
                bytes.InsertRange(at, other.Skip(from).Take(length));
                break;
        }

        return [.. bytes];
    }

    [Fact]
    public void random_bytes_never_throw_and_are_rejected_with_a_reason()
    {
        var bytes = Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b));
        Prop.ForAll(bytes.ToArbitrary(), input =>
            {
                DecodesSafely(input, 1714564800000);
                return true;
            })
            .Check(Config.QuickThrowOnFailure.WithMaxTest(2_000));
    }

    [Fact]
    public void mutated_golden_records_never_throw_and_every_rejection_has_a_reason()
    {
        Prop.ForAll(Mutations().ToArbitrary(), input =>
            {
                DecodesSafely(input, 1714564800000);
                return true;
            })
            .Check(Config.QuickThrowOnFailure.WithMaxTest(5_000));
    }

    [Fact]
    public void every_truncation_of_a_golden_record_is_malformed_json()
    {
        var decoder = new EventDecoder();
        foreach (var (kind, input, nowMs) in Golden)
        {
            for (var length = 0; length < input.Length; length++)
            {
                var result = decoder.Decode(kind, input.AsSpan(0, length), nowMs, out _);
                Assert.Equal(RejectReason.MalformedJson, result.Reason);
            }
        }
    }

    [Theory]
    [InlineData(100)]
    [InlineData(10_000)]
    [InlineData(30_000)]
    public void deep_nesting_anywhere_is_rejected_without_throwing(int depth)
    {
        var nested = new string('[', depth) + new string(']', depth);
        var objects = string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
        foreach (var (kind, input, nowMs) in Golden)
        {
            var text = Encoding.UTF8.GetString(input);
            foreach (var value in new[] { nested, objects })
            {
                DecodesSafely(Encoding.UTF8.GetBytes("{\"extra\":" + value + "," + text[1..]), nowMs);
                DecodesSafely(Encoding.UTF8.GetBytes("{\"event_id\":" + value + "," + text[1..]), nowMs);
                DecodesSafely(Encoding.UTF8.GetBytes(value), nowMs);
                Assert.False(new EventDecoder().Decode(kind, Encoding.UTF8.GetBytes("{\"extra\":" + value + "," + text[1..]), nowMs, out _).IsOk);
            }
        }
    }

    [Fact]
    public void huge_strings_are_too_large_or_too_long_never_a_crash()
    {
        var (_, input, nowMs) = Golden.First(g => g.Kind == EventKind.Served);
        var decoder = new EventDecoder();
        foreach (var field in KnownFields)
        {
            foreach (var size in new[] { EventDecoder.MaxIdBytes + 1, 60_000, EventDecoder.MaxRecordBytes, 1 << 20 })
            {
                var record = WithField(input, field, JsonValue.Create(new string('x', size)));
                var result = decoder.Decode(EventKind.Served, record, nowMs, out _);

                DecodesSafely(record, nowMs);
                Assert.False(result.IsOk && size > EventDecoder.MaxIdBytes && field is not (EventFields.UserAgent or EventFields.Placement),
                    $"{field} of {size} bytes was accepted");
                if (record.Length > EventDecoder.MaxRecordBytes)
                {
                    Assert.Equal(RejectReason.TooLarge, result.Reason);
                }
            }
        }
    }

    public static TheoryData<string> Fields() => [.. KnownFields];

    [Theory]
    [MemberData(nameof(Fields))]
    public void a_wrong_type_in_any_field_is_rejected_naming_that_field(string field)
    {
        var (_, input, nowMs) = Golden.First(g => g.Kind == EventKind.Served);
        JsonNode?[] values = [JsonValue.Create(17), JsonValue.Create(-1.5e300), JsonValue.Create(true), null, new JsonArray(), new JsonObject(),
            new JsonArray(JsonValue.Create("x")), new JsonObject { ["$ne"] = 1 }, JsonValue.Create("' OR 1=1 --"), JsonValue.Create("../../etc/passwd"),
            JsonValue.Create("\0\u202e\ud83d\ude00"), JsonValue.Create("")];
        var decoder = new EventDecoder();
        foreach (var value in values)
        {
            var record = WithField(input, field, value?.DeepClone());
            var result = decoder.Decode(EventKind.Served, record, nowMs, out _);

            DecodesSafely(record, nowMs);
            if (!result.IsOk)
            {
                Assert.Equal(field, result.Field);
                continue;
            }

            // Accepted only where the type is right: a string for text fields, a number for numbers.
            var kind = value?.GetValueKind();
            Assert.True(field switch
            {
                EventFields.Score or EventFields.CostMicros => kind == JsonValueKind.Number,
                EventFields.EventTime => kind is JsonValueKind.Number or JsonValueKind.String,
                _ => kind == JsonValueKind.String,
            }, $"{field} = {value?.ToJsonString() ?? "null"} was accepted");
        }
    }

    [Fact]
    public void invalid_utf8_and_nul_bytes_are_malformed_json()
    {
        var decoder = new EventDecoder();
        foreach (var (kind, input, nowMs) in Golden)
        {
            var text = Encoding.UTF8.GetString(input);
            var at = text.IndexOf("\"ad_id\":\"", StringComparison.Ordinal) + 9;
            var prefix = Encoding.UTF8.GetBytes(text[..at]);
            var suffix = Encoding.UTF8.GetBytes(text[at..]);
            foreach (var bad in new byte[][] { [0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0x00], [0xF4, 0x90, 0x80, 0x80] })
            {
                Assert.Equal(RejectReason.MalformedJson, decoder.Decode(kind, [.. prefix, .. bad, .. suffix], nowMs, out _).Reason);
            }
        }
    }

    [Theory]
    [InlineData("\\ude00")]
    [InlineData("\\ud83d")]
    [InlineData("a\\ud83d\\u0041")]
    [InlineData("\\udfff\\ud800")]
    public void escaped_lone_surrogates_are_malformed_json_not_an_exception(string escaped)
    {
        // Found by the mutation fuzz: unescaping these threw InvalidOperationException out of Decode.
        var view = "{\"event_id\":\"" + escaped + "\",\"ad_id\":\"a\",\"user_id\":\"u\",\"ip\":\"1.2.3.4\",\"user_agent\":\"ua\",\"event_time\":1714564800000}";
        var escapedName = "{\"" + escaped + "\":1}";
        var decoder = new EventDecoder();

        Assert.Equal(RejectReason.MalformedJson, decoder.Decode(EventKind.View, Encoding.UTF8.GetBytes(view), 1714564800000, out _).Reason);
        Assert.Equal(RejectReason.MalformedJson, decoder.Decode(EventKind.View, Encoding.UTF8.GetBytes(escapedName), 1714564800000, out _).Reason);
    }

    private static byte[] WithField(byte[] input, string field, JsonNode? value)
    {
        var node = JsonNode.Parse(input)!.AsObject();
        node[field] = value;
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }
}

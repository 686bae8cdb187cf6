using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Lambda.SharedModel.Codec;

/// <summary>
/// The JSON form of a <see cref="DeadLetter"/> (a persisted format: golden-tested):
/// <c>{"reason","message","field","source","line","topic","original","original_base64"}</c>, every key
/// always present. <c>original</c> is the bytes as a string when they are valid UTF-8, else null;
/// <c>original_base64</c> is always present and is what <see cref="Decode"/> trusts.
/// </summary>
public static class DeadLetterCodec
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Appends the JSON of <paramref name="letter"/> to <paramref name="output"/>.</summary>
    public static void Write(DeadLetter letter, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(letter);
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("reason", letter.Reason.Code());
        writer.WriteString("message", letter.Message);
        writer.WriteString("field", letter.Field);
        writer.WriteString("source", letter.Source);
        if (letter.Line is { } line)
        {
            writer.WriteNumber("line", line);
        }
        else
        {
            writer.WriteNull("line");
        }

        writer.WriteString("topic", letter.Topic);
        writer.WriteString("original", letter.OriginalText);
        writer.WriteBase64String("original_base64", letter.Original.Span);
        writer.WriteEndObject();
    }

    /// <summary>The JSON of <paramref name="letter"/> as a new array.</summary>
    public static byte[] Encode(DeadLetter letter)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(letter, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a dead letter back; <see cref="FormatException"/> if <paramref name="json"/> is not one.</summary>
    public static DeadLetter Decode(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("a dead letter must be a JSON object");
            }

            return new DeadLetter
            {
                Reason = RejectReasons.ParseCode(RequiredString(root, "reason")),
                Message = RequiredString(root, "message"),
                Field = OptionalString(root, "field"),
                Source = RequiredString(root, "source"),
                Line = root.TryGetProperty("line", out var line) && line.ValueKind != JsonValueKind.Null ? line.GetInt64() : null,
                Topic = OptionalString(root, "topic"),
                Original = root.TryGetProperty("original_base64", out var original)
                    ? original.GetBytesFromBase64()
                    : throw new FormatException("dead letter has no 'original_base64'"),
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new FormatException($"not a dead letter: {e.Message}", e);
        }
    }

    private static string RequiredString(JsonElement root, string name) =>
        OptionalString(root, name) ?? throw new FormatException($"dead letter has no '{name}'");

    private static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetString() : null;
}

using System.Text.Json;

namespace Lambda.Serving.Http;

/// <summary>Splits a POST /v1/events body into records: a JSON array of objects, or JSON Lines.</summary>
public static class EventBody
{
    /// <summary>The records of <paramref name="body"/>, or null with the reason if a JSON array body is not valid JSON.</summary>
    public static List<ReadOnlyMemory<byte>>? Split(ReadOnlyMemory<byte> body, out string? error)
    {
        error = null;
        var span = body.Span;
        var first = 0;
        while (first < span.Length && span[first] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            first++;
        }
        return first < span.Length && span[first] == '[' ? SplitArray(body, out error) : SplitLines(body);
    }

    private static List<ReadOnlyMemory<byte>>? SplitArray(ReadOnlyMemory<byte> body, out string? error)
    {
        var records = new List<ReadOnlyMemory<byte>>();
        try
        {
            var reader = new Utf8JsonReader(body.Span);
            reader.Read();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = (int)reader.TokenStartIndex;
                // Skip moves to the end of an object or array; a scalar is already whole.
                reader.Skip();
                records.Add(body[start..(int)reader.BytesConsumed]);
            }
            if (reader.Read())
            {
                error = "unexpected content after the JSON array";
                return null;
            }
        }
        catch (JsonException e)
        {
            error = $"the body is not a valid JSON array: {e.Message}";
            return null;
        }
        error = null;
        return records;
    }

    private static List<ReadOnlyMemory<byte>> SplitLines(ReadOnlyMemory<byte> body)
    {
        var records = new List<ReadOnlyMemory<byte>>();
        var rest = body;
        while (!rest.IsEmpty)
        {
            var newline = rest.Span.IndexOf((byte)'\n');
            var line = newline < 0 ? rest : rest[..newline];
            rest = newline < 0 ? ReadOnlyMemory<byte>.Empty : rest[(newline + 1)..];
            var trimmed = line.Span.Trim(" \t\r"u8);
            if (!trimmed.IsEmpty)
            {
                var offset = line.Span.IndexOf(trimmed);
                records.Add(line.Slice(offset, trimmed.Length));
            }
        }
        return records;
    }
}

using System.Text.Json;

namespace Lambda.Serving.Http;

/// <summary>
/// The records of a POST /v1/events body, one at a time: a JSON array of objects, or JSON Lines. No
/// list of records is built, so a body of millions of tiny lines costs no memory beyond itself, and a
/// caller can walk it twice (check, then append) and pause between records across awaits.
/// </summary>
public struct EventBody
{
    private readonly ReadOnlyMemory<byte> _body;
    private readonly bool _isArray;
    private int _offset;
    private int _line;
    private int _lineCountedTo;
    private JsonReaderState _state;
    private bool _done;

    /// <summary>Starts before the first record of <paramref name="body"/>.</summary>
    public EventBody(ReadOnlyMemory<byte> body)
    {
        _body = body;
        var first = body.Span.IndexOfAnyExcept(" \t\r\n"u8);
        _isArray = first >= 0 && body.Span[first] == '[';
        _line = 0;
        _lineCountedTo = 0;
        _offset = 0;
        _state = default;
        _done = false;
        Current = default;
        Error = null;
        if (_isArray)
        {
            StartArray();
        }
    }

    /// <summary>The record <see cref="MoveNext"/> found.</summary>
    public EventRecord Current { get; private set; }

    /// <summary>Why a JSON array body is not valid JSON (then <see cref="MoveNext"/> returned false); null otherwise.</summary>
    public string? Error { get; private set; }

    /// <summary>Moves to the next record; false at the end, or at a broken array (<see cref="Error"/>).</summary>
    public bool MoveNext() => !_done && (_isArray ? NextElement() : NextLine());

    private void StartArray()
    {
        try
        {
            var reader = new Utf8JsonReader(_body.Span);
            reader.Read();
            _state = reader.CurrentState;
            _offset = (int)reader.BytesConsumed;
        }
        catch (JsonException e)
        {
            Fail($"the body is not a valid JSON array: {e.Message}");
        }
    }

    private bool NextElement()
    {
        var span = _body.Span;
        try
        {
            var reader = new Utf8JsonReader(span[_offset..], isFinalBlock: true, _state);
            if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.EndArray && reader.Read())
                {
                    return Fail("unexpected content after the JSON array");
                }
                _done = true;
                return false;
            }
            var start = _offset + (int)reader.TokenStartIndex;
            // Skip moves to the end of an object or array; a scalar is already whole.
            reader.Skip();
            var end = _offset + (int)reader.BytesConsumed;
            _state = reader.CurrentState;
            _offset = end;
            Current = new EventRecord(_body[start..end], LineAt(start));
            return true;
        }
        catch (JsonException e)
        {
            return Fail($"the body is not a valid JSON array: {e.Message}");
        }
    }

    private bool NextLine()
    {
        var span = _body.Span;
        while (_offset < span.Length)
        {
            var rest = span[_offset..];
            var newline = rest.IndexOf((byte)'\n');
            var line = newline < 0 ? rest : rest[..newline];
            var lineStart = _offset;
            _line++;
            _lineCountedTo = _offset = newline < 0 ? span.Length : _offset + newline + 1;
            var trimmed = line.Trim(" \t\r"u8);
            if (!trimmed.IsEmpty)
            {
                var leading = line.Length - line.TrimStart(" \t\r"u8).Length;
                Current = new EventRecord(_body.Slice(lineStart + leading, trimmed.Length), _line);
                return true;
            }
        }
        _done = true;
        return false;
    }

    /// <summary>The 1-based line of <paramref name="position"/>, counting newlines since the last call (positions only grow).</summary>
    private int LineAt(int position)
    {
        _line += _body.Span[_lineCountedTo..position].Count((byte)'\n');
        _lineCountedTo = position;
        return _line + 1;
    }

    private bool Fail(string error)
    {
        Error = error;
        _done = true;
        return false;
    }
}

/// <summary>One record of a body and the 1-based line it starts on.</summary>
public readonly record struct EventRecord(ReadOnlyMemory<byte> Bytes, int Line);

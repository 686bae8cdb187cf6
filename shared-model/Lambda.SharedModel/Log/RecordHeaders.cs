namespace Lambda.SharedModel.Log;

/// <summary>
/// A record's headers: zero or more (key, value) pairs, as Kafka's record headers. They are held encoded
/// in one span (in a <see cref="RecordBatch"/>'s buffer, and as is in the embedded log's format 2) and
/// parsed only when asked, so reading records allocates nothing for them. The encoding, per header:
/// <code>key length (unsigned LEB128) | key (UTF-8) | value length (LEB128) | value</code>
/// A key may repeat, as in Kafka; <see cref="TryGet"/> finds the first. <see cref="RecordHeadersWriter"/> builds them.
/// </summary>
public readonly ref struct RecordHeaders
{
    public RecordHeaders(ReadOnlySpan<byte> encoded) => Encoded = encoded;

    /// <summary>The encoded headers; empty when the record has none.</summary>
    public ReadOnlySpan<byte> Encoded { get; }

    public bool IsEmpty => Encoded.IsEmpty;

    /// <summary>
    /// Whether <see cref="Encoded"/> parses to its end. Enumerating malformed bytes stops at the damage
    /// without throwing; producers refuse them (an append must not store what no reader can parse).
    /// </summary>
    public bool IsWellFormed
    {
        get
        {
            var headers = GetEnumerator();
            while (headers.MoveNext())
            {
            }

            return headers.AtEnd;
        }
    }

    /// <summary>The value of the first header named <paramref name="key"/> (UTF-8), if there is one.</summary>
    public bool TryGet(ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        foreach (var header in this)
        {
            if (header.Key.SequenceEqual(key))
            {
                value = header.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    public Enumerator GetEnumerator() => new(Encoded);

    /// <summary>Walks the headers in order; stops (with <see cref="AtEnd"/> false) at bytes that do not parse.</summary>
    public ref struct Enumerator(ReadOnlySpan<byte> encoded)
    {
        private readonly ReadOnlySpan<byte> _encoded = encoded;
        private int _at;
        private bool _broken;

        public RecordHeader Current { get; private set; }

        /// <summary>Every byte was parsed: the enumeration ended at the end, not at damage.</summary>
        public readonly bool AtEnd => !_broken && _at == _encoded.Length;

        public bool MoveNext()
        {
            if (_broken || _at == _encoded.Length)
            {
                return false;
            }

            if (!TryReadPart(out var key) || !TryReadPart(out var value))
            {
                _broken = true;
                Current = default;
                return false;
            }

            Current = new RecordHeader(key, value);
            return true;
        }

        /// <summary>A length-prefixed part; false if the length is malformed or runs past the end.</summary>
        private bool TryReadPart(out ReadOnlySpan<byte> part)
        {
            part = default;
            var length = 0L;
            for (var shift = 0; ; shift += 7)
            {
                if (_at == _encoded.Length || shift > 28)
                {
                    return false;
                }

                var b = _encoded[_at++];
                length |= (long)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    break;
                }
            }

            if (length > _encoded.Length - _at)
            {
                return false;
            }

            part = _encoded.Slice(_at, (int)length);
            _at += (int)length;
            return true;
        }
    }
}

/// <summary>One header: its key (UTF-8) and value, pointing into the encoded headers.</summary>
public readonly ref struct RecordHeader(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
{
    public ReadOnlySpan<byte> Key { get; } = key;

    public ReadOnlySpan<byte> Value { get; } = value;
}

namespace Lambda.SharedModel.Log;

/// <summary>
/// A reusable buffer of records read from one partition: one byte array for keys, values and encoded
/// headers and one array of entries, both grown as needed and kept across reads, so that a steady
/// reader allocates nothing per record.
/// </summary>
public sealed class RecordBatch
{
    private struct Entry
    {
        public long Offset;
        public long TimestampMs;
        public int KeyStart;
        public int KeyLength;
        public int ValueLength;
        public int HeadersLength;
    }

    private byte[] _data;
    private Entry[] _entries;
    private int _dataLength;

    public RecordBatch(int initialRecords = 1024, int initialBytes = 256 * 1024)
    {
        _entries = new Entry[Math.Max(1, initialRecords)];
        _data = new byte[Math.Max(16, initialBytes)];
    }

    public int Count { get; private set; }

    /// <summary>The offset after the last record, or the requested offset if the batch is empty.</summary>
    public long NextOffset { get; private set; }

    /// <summary>
    /// Set by a read that reached the end of the partition: every record appended after the read
    /// has a log timestamp of at least this. <see cref="long.MinValue"/> when the log cannot say.
    /// Consumers that merge several partitions by log time use it to move past a quiet one.
    /// </summary>
    public long LogTimeFrontierMs { get; set; } = long.MinValue;

    /// <summary>Total bytes of keys, values and headers held.</summary>
    public int ByteCount => _dataLength;

    public LogRecord this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index));
            }

            ref readonly var e = ref _entries[index];
            var valueStart = e.KeyStart + e.KeyLength;
            return new LogRecord(e.Offset, e.TimestampMs,
                _data.AsSpan(e.KeyStart, e.KeyLength),
                _data.AsSpan(valueStart, e.ValueLength),
                new RecordHeaders(_data.AsSpan(valueStart + e.ValueLength, e.HeadersLength)));
        }
    }

    /// <summary>Empties the batch; <see cref="NextOffset"/> becomes <paramref name="fromOffset"/>.</summary>
    public void Reset(long fromOffset)
    {
        Count = 0;
        _dataLength = 0;
        NextOffset = fromOffset;
        LogTimeFrontierMs = long.MinValue;
    }

    /// <summary>Appends a record; offsets must increase.</summary>
    public void Add(long offset, long timestampMs, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, RecordHeaders headers = default)
    {
        if (Count > 0 && offset <= _entries[Count - 1].Offset)
        {
            throw new ArgumentException($"offset {offset} does not follow {_entries[Count - 1].Offset}", nameof(offset));
        }

        if (Count == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }

        var encodedHeaders = headers.Encoded;
        var needed = _dataLength + key.Length + value.Length + encodedHeaders.Length;
        if (needed > _data.Length)
        {
            Array.Resize(ref _data, Math.Max(needed, _data.Length * 2));
        }

        key.CopyTo(_data.AsSpan(_dataLength));
        value.CopyTo(_data.AsSpan(_dataLength + key.Length));
        encodedHeaders.CopyTo(_data.AsSpan(_dataLength + key.Length + value.Length));
        _entries[Count++] = new Entry
        {
            Offset = offset,
            TimestampMs = timestampMs,
            KeyStart = _dataLength,
            KeyLength = key.Length,
            ValueLength = value.Length,
            HeadersLength = encodedHeaders.Length,
        };
        _dataLength = needed;
        NextOffset = offset + 1;
    }
}

namespace Lambda.Batch.Archive;

/// <summary>
/// Valid records of a chunk whose event date is not the one being streamed to Parquet: their raw JSON and
/// log position, grouped by date, kept until that date's file is written (they are decoded again then;
/// decoding is cheaper than holding decoded rows). Buffers are reused from chunk to chunk.
/// </summary>
internal sealed class SpilledRecords
{
    private readonly Dictionary<int, List<Entry>> _byDay = [];
    private readonly Stack<List<Entry>> _freeLists = new();
    private byte[] _bytes = new byte[1 << 20];
    private int _length;

    /// <summary>The dates with spilled records, as day numbers.</summary>
    public IEnumerable<int> Days => _byDay.Keys;

    /// <summary>Keeps <paramref name="value"/> for date <paramref name="dayNumber"/>.</summary>
    public void Add(int dayNumber, long offset, long timestampMs, ReadOnlySpan<byte> value)
    {
        if (!_byDay.TryGetValue(dayNumber, out var entries))
        {
            entries = _freeLists.TryPop(out var free) ? free : [];
            _byDay.Add(dayNumber, entries);
        }

        if (_bytes.Length - _length < value.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + value.Length));
        }

        value.CopyTo(_bytes.AsSpan(_length));
        entries.Add(new Entry(offset, timestampMs, _length, value.Length));
        _length += value.Length;
    }

    /// <summary>The records of one date, in log order.</summary>
    public IReadOnlyList<Entry> Of(int dayNumber) => _byDay.TryGetValue(dayNumber, out var entries) ? entries : [];

    /// <summary>The JSON of an entry.</summary>
    public ReadOnlySpan<byte> Value(in Entry entry) => _bytes.AsSpan(entry.Start, entry.Length);

    /// <summary>Forgets every record, keeping the buffers.</summary>
    public void Clear()
    {
        foreach (var entries in _byDay.Values)
        {
            entries.Clear();
            _freeLists.Push(entries);
        }

        _byDay.Clear();
        _length = 0;
    }

    /// <summary>A spilled record: its log offset and time, and where its JSON is.</summary>
    public readonly record struct Entry(long Offset, long TimestampMs, int Start, int Length);
}

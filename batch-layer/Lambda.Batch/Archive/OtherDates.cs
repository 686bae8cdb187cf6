namespace Lambda.Batch.Archive;

/// <summary>
/// The records of a chunk whose event date is not the one streamed first (a chunk across midnight, late
/// events): a mark of two bytes per offset naming the record's date, and each date's offset range. That date's
/// file is then written by reading its range of the log again and decoding only the marked records: rereading
/// costs little, while holding the records (≈ 500 B each) cost a copy and fresh memory per record.
/// Buffers are reused from chunk to chunk.
/// </summary>
internal sealed class OtherDates
{
    private readonly Dictionary<int, int> _indexOfDay = [];
    private readonly List<int> _days = [];
    private readonly List<(long First, long Last)> _ranges = [];
    private ushort[] _marks = [];
    private long _from;
    private int _length;
    private int _lastDay = int.MinValue;
    private int _lastIndex;

    /// <summary>How many other dates the chunk has.</summary>
    public int Count => _days.Count;

    /// <summary>Starts a chunk of offsets [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public void Reset(long from, long to)
    {
        if (_days.Count > 0)
        {
            Array.Clear(_marks, 0, _length);
        }

        _from = from;
        _length = (int)(to - from);
        _days.Clear();
        _ranges.Clear();
        _indexOfDay.Clear();
        _lastDay = int.MinValue;
    }

    /// <summary>Marks the record at <paramref name="offset"/> (offsets added in increasing order) as of date <paramref name="dayNumber"/>.</summary>
    public void Add(int dayNumber, long offset)
    {
        if (dayNumber != _lastDay)
        {
            if (!_indexOfDay.TryGetValue(dayNumber, out _lastIndex))
            {
                if (_days.Count == ushort.MaxValue)
                {
                    throw new InvalidOperationException($"a chunk spans more than {ushort.MaxValue} event dates");
                }

                _lastIndex = _days.Count;
                _indexOfDay.Add(dayNumber, _lastIndex);
                _days.Add(dayNumber);
                _ranges.Add((offset, offset));
                if (_marks.Length < _length)
                {
                    _marks = new ushort[_length];
                }
            }

            _lastDay = dayNumber;
        }

        _ranges[_lastIndex] = (_ranges[_lastIndex].First, offset);
        _marks[offset - _from] = (ushort)(_lastIndex + 1);
    }

    /// <summary>The day number of the other date <paramref name="index"/>.</summary>
    public int Day(int index) => _days[index];

    /// <summary>The offsets [From, To) that hold every record of the other date <paramref name="index"/>.</summary>
    public (long From, long To) Range(int index) => (_ranges[index].First, _ranges[index].Last + 1);

    /// <summary>Whether the record at <paramref name="offset"/> is of the other date <paramref name="index"/>.</summary>
    public bool Holds(int index, long offset) => _marks[offset - _from] == index + 1;
}

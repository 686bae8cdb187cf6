using System.Buffers;

namespace Lambda.Batch.Parquet;

/// <summary>
/// One column of the row group being built: its values as they come (fixed-width values as 64-bit
/// words; byte arrays as dictionary numbers while the column has few distinct values, else PLAIN),
/// definition levels once a null came, and the chunk's statistics. <see cref="Flush"/> writes the column
/// chunk's pages and empties the buffer, keeping its arrays for the next row group.
/// </summary>
internal sealed partial class ParquetColumnBuffer
{
    private readonly ArrayBufferWriter<byte> _plain = new(1);
    private readonly StringDictionary? _dictionary;
    private long[] _fixed = [];
    private int[] _indices = [];
    private int[] _levels = [];
    private bool _hasLevels;
    private bool _dictionaryOn;
    private int _rows;
    private int _values;
    private long _min;
    private long _max;

    public ParquetColumnBuffer(ParquetColumn column)
    {
        Column = column;
        if (column.Type == ParquetColumnType.Utf8)
        {
            _dictionary = new StringDictionary();
        }

        Reset();
    }

    public ParquetColumn Column { get; }

    /// <summary>Rows appended since the last flush, nulls included.</summary>
    public int Rows => _rows;

    /// <summary>About how many bytes the values appended since the last flush take.</summary>
    public long BufferedBytes => _plain.WrittenCount + (_dictionaryOn ? _values * 4L : 0) + (Column.IsByteArray ? 0 : _values * 8L);

    public void AppendNull()
    {
        EnsureRoom(ref _levels, _rows);
        if (!_hasLevels)
        {
            // The first null: every row so far was defined.
            _levels.AsSpan(0, _rows).Fill(1);
            _hasLevels = true;
        }

        _levels[_rows++] = 0;
    }

    /// <summary>A value of an Int32, Int64 or Double column (a double as its bits, <see cref="BitConverter.DoubleToInt64Bits"/>).</summary>
    public void Append(long value)
    {
        Defined();
        EnsureRoom(ref _fixed, _values);
        _fixed[_values++] = value;
        if (Column.Type == ParquetColumnType.UInt64)
        {
            if ((ulong)value < (ulong)_min)
            {
                _min = value;
            }

            if ((ulong)value > (ulong)_max)
            {
                _max = value;
            }
        }
        else
        {
            _min = Math.Min(_min, value);
            _max = Math.Max(_max, value);
        }
    }

    public void Append(ulong value) => Append((long)value);

    public void Append(double value) => Append(BitConverter.DoubleToInt64Bits(value));

    /// <summary>A value of a Utf8 or Blob column.</summary>
    public void Append(ReadOnlySpan<byte> value)
    {
        Defined();
        if (_dictionaryOn)
        {
            // Runs of one value (a campaign's rows in the view files) skip the hash lookup.
            var index = _values > 0 && value.SequenceEqual(_dictionary!.Entry(_indices[_values - 1]))
                ? _indices[_values - 1]
                : _dictionary!.IndexOf(value);
            if (index >= 0)
            {
                EnsureRoom(ref _indices, _values);
                _indices[_values++] = index;
                return;
            }

            FallBackToPlain();
        }

        PlainByteArray.Write(_plain, value);
        _values++;
    }

    private void Defined()
    {
        if (_hasLevels)
        {
            EnsureRoom(ref _levels, _rows);
            _levels[_rows] = 1;
        }

        _rows++;
    }

    /// <summary>Grows <paramref name="array"/> (doubling, kept for the next row groups) so that index <paramref name="index"/> fits.</summary>
    private static void EnsureRoom<T>(ref T[] array, int index)
    {
        if (index >= array.Length)
        {
            Array.Resize(ref array, Math.Max(Math.Max(1024, index + 1), array.Length * 2));
        }
    }

    /// <summary>Too many distinct values: the values so far, and all that follow, go PLAIN.</summary>
    private void FallBackToPlain()
    {
        _dictionaryOn = false;
        for (var i = 0; i < _values; i++)
        {
            PlainByteArray.Write(_plain, _dictionary!.Entry(_indices[i]));
        }

        _dictionary!.Clear();
    }

    /// <summary>Drops what was appended since the last flush.</summary>
    public void Discard() => Reset();

    private void Reset()
    {
        _rows = _values = 0;
        _hasLevels = false;
        _plain.ResetWrittenCount();
        _dictionary?.Clear();
        _dictionaryOn = _dictionary is not null;
        (_min, _max) = Column.Type == ParquetColumnType.UInt64 ? (-1L, 0L) : (long.MaxValue, long.MinValue);
    }
}

using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Lambda.Batch.Parquet;

internal sealed partial class ParquetColumnBuffer
{
    /// <summary>About how many bytes of values a data page holds (uncompressed), as other writers do.</summary>
    private const int PageValueBytes = 1 << 20;

    private readonly ArrayBufferWriter<byte> _page = new(1);

    /// <summary>Writes the column chunk (a dictionary page when dictionary-encoded, then data pages) and empties the buffer.</summary>
    public ColumnChunkMeta Flush(ParquetPageWriter pages)
    {
        var dictionary = _dictionaryOn && _values > 0;
        long uncompressed = 0, compressed = 0;
        long? dictionaryOffset = null;
        byte[]? min = null, max = null;
        if (dictionary)
        {
            dictionaryOffset = pages.Position;
            (uncompressed, compressed) = pages.WriteDictionaryPage(_dictionary!.Plain, _dictionary.Count);
            (min, max) = DictionaryMinMax();
        }
        else if (!Column.IsByteArray && Column.Type != ParquetColumnType.Double && _values > 0)
        {
            (min, max) = (StatisticBytes(_min), StatisticBytes(_max));
        }

        var dataOffset = pages.Position;
        var encoding = dictionary ? ParquetFormat.EncodingPlainDictionary : ParquetFormat.EncodingPlain;
        var bitWidth = dictionary ? Math.Max(1, 32 - BitOperations.LeadingZeroCount((uint)(_dictionary!.Count - 1))) : 0;
        int row = 0, value = 0, plainAt = 0;
        do
        {
            var (rows, values, plainBytes) = NextPage(row, value, plainAt, dictionary);
            _page.ResetWrittenCount();
            WriteLevels(row, rows);
            if (dictionary)
            {
                _page.GetSpan(1)[0] = (byte)bitWidth;
                _page.Advance(1);
                RleHybrid.Encode(_indices.AsSpan(value, values), bitWidth, _page);
            }
            else
            {
                WriteValues(value, values, plainAt, plainBytes);
            }

            var (u, c) = pages.WriteDataPage(_page.WrittenSpan, rows, encoding);
            uncompressed += u;
            compressed += c;
            (row, value, plainAt) = (row + rows, value + values, plainAt + plainBytes);
        }
        while (row < _rows);

        var meta = new ColumnChunkMeta(Column,
            dictionary ? [ParquetFormat.EncodingPlainDictionary, ParquetFormat.EncodingRle] : [ParquetFormat.EncodingPlain, ParquetFormat.EncodingRle],
            _rows, uncompressed, compressed, dataOffset, dictionaryOffset, _rows - _values, min, max);
        Reset();
        return meta;
    }

    /// <summary>The rows, values and PLAIN bytes of the page that starts at the given row, value and byte.</summary>
    private (int Rows, int Values, int PlainBytes) NextPage(int row, int value, int plainAt, bool dictionary)
    {
        var plain = Column.IsByteArray && !dictionary ? _plain.WrittenSpan : default;
        var width = dictionary ? 4 : Column.Type == ParquetColumnType.Int32 ? 4 : 8;
        int end = row, values = 0, bytes = 0;
        // At least one row per page, even a value larger than a page.
        while (end < _rows && (bytes < PageValueBytes || end == row))
        {
            if (!_hasLevels || _levels[end] == 1)
            {
                bytes += plain.IsEmpty ? width : PlainByteArray.SizeAt(plain, plainAt + bytes);
                values++;
            }

            end++;
        }

        return (end - row, values, plain.IsEmpty ? 0 : bytes);
    }

    /// <summary>The definition levels of rows [row, row + rows): a 4-byte length, then RLE / bit-packed (bit width 1).</summary>
    private void WriteLevels(int row, int rows)
    {
        var lengthAt = _page.WrittenCount;
        _ = _page.GetSpan(4);
        _page.Advance(4);
        if (_hasLevels)
        {
            RleHybrid.Encode(_levels.AsSpan(row, rows), 1, _page);
        }
        else
        {
            RleHybrid.WriteRun(1, rows, 1, _page);
        }

        // The span of the page written so far: the length goes back in front of the levels.
        var written = MemoryMarshal.AsMemory(_page.WrittenMemory).Span;
        BinaryPrimitives.WriteInt32LittleEndian(written[lengthAt..], _page.WrittenCount - lengthAt - 4);
    }

    private void WriteValues(int value, int values, int plainAt, int plainBytes)
    {
        ReadOnlySpan<byte> bytes;
        if (Column.IsByteArray)
        {
            bytes = _plain.WrittenSpan.Slice(plainAt, plainBytes);
        }
        else if (Column.Type == ParquetColumnType.Int32)
        {
            var span = _page.GetSpan(values * 4);
            for (var i = 0; i < values; i++)
            {
                BinaryPrimitives.WriteInt32LittleEndian(span[(i * 4)..], (int)_fixed[value + i]);
            }

            _page.Advance(values * 4);
            return;
        }
        else
        {
            // Parquet's PLAIN is little-endian, as this machine is.
            bytes = MemoryMarshal.AsBytes(_fixed.AsSpan(value, values));
        }

        bytes.CopyTo(_page.GetSpan(bytes.Length));
        _page.Advance(bytes.Length);
    }

    private byte[] StatisticBytes(long value)
    {
        var bytes = new byte[Column.Type == ParquetColumnType.Int32 ? 4 : 8];
        if (bytes.Length == 4)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes, (int)value);
        }
        else
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        }

        return bytes;
    }

    /// <summary>The smallest and largest dictionary entry, bytes compared unsigned (Parquet's order for strings).</summary>
    private (byte[] Min, byte[] Max) DictionaryMinMax()
    {
        int min = 0, max = 0;
        for (var i = 1; i < _dictionary!.Count; i++)
        {
            var entry = _dictionary.Entry(i);
            if (entry.SequenceCompareTo(_dictionary.Entry(min)) < 0)
            {
                min = i;
            }

            if (entry.SequenceCompareTo(_dictionary.Entry(max)) > 0)
            {
                max = i;
            }
        }

        return (_dictionary.Entry(min).ToArray(), _dictionary.Entry(max).ToArray());
    }
}

using Parquet;

namespace Lambda.Batch.ParquetFiles;

/// <summary>
/// The values of a byte-array column: copied one after the other into one array kept between row groups,
/// handed to Parquet.Net as slices of it (one <see cref="ReadOnlyMemory{T}"/> per value, no object per value).
/// </summary>
internal abstract class SlicedValues<T>(ParquetColumn column) : ColumnValues(column)
    where T : struct
{
    private T[] _items = new T[16 * 1024];
    private int _length;
    private int[] _ends = new int[1024];
    private ReadOnlyMemory<T>[] _slices = new ReadOnlyMemory<T>[1024];

    public override long BufferedBytes => _length;

    /// <summary>Copies <paramref name="value"/> into <paramref name="into"/> (room for <c>value.Length</c> items); returns the items written.</summary>
    protected abstract int Copy(ReadOnlySpan<byte> value, Span<T> into);

    protected override void AppendBytes(int index, ReadOnlySpan<byte> value)
    {
        if (_length + value.Length > _items.Length)
        {
            Array.Resize(ref _items, Math.Max(_items.Length * 2, _length + value.Length));
        }

        _length += Copy(value, _items.AsSpan(_length));
        Grow(ref _ends, index);
        _ends[index] = _length;
    }

    protected override Task WriteValuesAsync(ParquetRowGroupWriter rowGroup, ReadOnlyMemory<int> levels, CancellationToken cancellationToken)
    {
        if (_slices.Length < Values)
        {
            _slices = new ReadOnlyMemory<T>[_ends.Length];
        }

        var start = 0;
        for (var i = 0; i < Values; i++)
        {
            _slices[i] = _items.AsMemory(start, _ends[i] - start);
            start = _ends[i];
        }

        return rowGroup.WriteAllPartsAsync<ReadOnlyMemory<T>>(Field, _slices.AsMemory(0, Values), levels, null, cancellationToken);
    }

    public override void Clear()
    {
        base.Clear();
        _length = 0;
    }
}

/// <summary>
/// A string column. Parquet.Net takes strings as string objects (an allocation per value) or as slices of
/// chars: the UTF-8 bytes are decoded into the reused char array, and Parquet.Net encodes them back to UTF-8.
/// </summary>
internal sealed class Utf8Values(ParquetColumn column) : SlicedValues<char>(column)
{
    // A UTF-8 sequence never decodes to more chars than it has bytes, so the room reserved suffices.
    protected override int Copy(ReadOnlySpan<byte> value, Span<char> into) => System.Text.Encoding.UTF8.GetChars(value, into);
}

/// <summary>A BLOB column (the sketches): the bytes as they are.</summary>
internal sealed class BlobValues(ParquetColumn column) : SlicedValues<byte>(column)
{
    protected override int Copy(ReadOnlySpan<byte> value, Span<byte> into)
    {
        value.CopyTo(into);
        return value.Length;
    }
}

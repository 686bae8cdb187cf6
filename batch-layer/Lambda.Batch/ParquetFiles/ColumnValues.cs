using Parquet;
using Parquet.Schema;

namespace Lambda.Batch.ParquetFiles;

/// <summary>
/// One column of the row group being built: its definition levels (1 = value, 0 = null) and its values,
/// densely, in arrays kept from row group to row group and file to file, handed to Parquet.Net as one
/// <see cref="ReadOnlyMemory{T}"/> per column chunk (<see cref="ParquetRowGroupWriter.WriteAllPartsAsync"/>).
/// Appending allocates nothing once the arrays have grown to a row group.
/// </summary>
internal abstract class ColumnValues
{
    private int[] _levels = new int[1024];

    protected ColumnValues(ParquetColumn column)
    {
        Column = column;
        Field = column.ToField();
    }

    public ParquetColumn Column { get; }

    public DataField Field { get; }

    /// <summary>Rows appended since the last row group, nulls included.</summary>
    public int Rows { get; private set; }

    /// <summary>Values appended since the last row group (rows less nulls).</summary>
    protected int Values { get; private set; }

    /// <summary>About how many bytes the buffered values take.</summary>
    public abstract long BufferedBytes { get; }

    public static ColumnValues For(ParquetColumn column) => column.Type switch
    {
        ParquetColumnType.Utf8 => new Utf8Values(column),
        ParquetColumnType.Blob => new BlobValues(column),
        ParquetColumnType.Int32 => new FixedValues<int>(column),
        ParquetColumnType.Int64 => new FixedValues<long>(column),
        ParquetColumnType.UInt64 => new FixedValues<ulong>(column),
        _ => new FixedValues<double>(column),
    };

    public void AppendNull() => Level(0);

    /// <summary>A value of an Int32, Int64, UInt64 (as its bits) or Double (as its bits, <see cref="BitConverter.DoubleToInt64Bits"/>) column.</summary>
    public void Append(long value)
    {
        AppendFixed(Values, value);
        Level(1);
    }

    public void Append(ulong value) => Append((long)value);

    public void Append(double value) => Append(BitConverter.DoubleToInt64Bits(value));

    /// <summary>A value of a Utf8 (UTF-8 bytes) or Blob column.</summary>
    public void Append(ReadOnlySpan<byte> value)
    {
        AppendBytes(Values, value);
        Level(1);
    }

    protected virtual void AppendFixed(int index, long value) =>
        throw new InvalidOperationException($"column '{Column.Name}' ({Column.Type}) takes no fixed-width value");

    protected virtual void AppendBytes(int index, ReadOnlySpan<byte> value) =>
        throw new InvalidOperationException($"column '{Column.Name}' ({Column.Type}) takes no bytes");

    /// <summary>Writes the buffered rows as this column's chunk of <paramref name="rowGroup"/>, then empties the buffer.</summary>
    public async Task WriteAsync(ParquetRowGroupWriter rowGroup, CancellationToken cancellationToken)
    {
        await WriteValuesAsync(rowGroup, _levels.AsMemory(0, Rows), cancellationToken).ConfigureAwait(false);
        Clear();
    }

    protected abstract Task WriteValuesAsync(ParquetRowGroupWriter rowGroup, ReadOnlyMemory<int> levels, CancellationToken cancellationToken);

    /// <summary>Drops the buffered rows, keeping the arrays.</summary>
    public virtual void Clear() => Rows = Values = 0;

    private void Level(int level)
    {
        Grow(ref _levels, Rows);
        _levels[Rows++] = level;
        Values += level;
    }

    /// <summary>Grows <paramref name="array"/> (doubling, kept for later row groups) so that index <paramref name="index"/> fits.</summary>
    protected static void Grow<T>(ref T[] array, int index)
    {
        if (index >= array.Length)
        {
            Array.Resize(ref array, Math.Max(Math.Max(1024, index + 1), array.Length * 2));
        }
    }
}

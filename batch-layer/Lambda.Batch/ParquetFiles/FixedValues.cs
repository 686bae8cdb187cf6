using Parquet;

namespace Lambda.Batch.ParquetFiles;

/// <summary>The values of an INT32, INT64 or DOUBLE column, as a typed array.</summary>
internal sealed class FixedValues<T>(ParquetColumn column) : ColumnValues(column)
    where T : struct
{
    private T[] _values = new T[1024];

    public override long BufferedBytes => Values * (long)System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

    protected override void AppendFixed(int index, long value)
    {
        Grow(ref _values, index);
        // Each branch is a constant for the JIT in every instantiation: no boxing, no test at run time.
        if (typeof(T) == typeof(int))
        {
            _values[index] = (T)(object)checked((int)value);
        }
        else if (typeof(T) == typeof(ulong))
        {
            _values[index] = (T)(object)(ulong)value;
        }
        else if (typeof(T) == typeof(double))
        {
            _values[index] = (T)(object)BitConverter.Int64BitsToDouble(value);
        }
        else
        {
            _values[index] = (T)(object)value;
        }
    }

    protected override Task WriteValuesAsync(ParquetRowGroupWriter rowGroup, ReadOnlyMemory<int> levels, CancellationToken cancellationToken) =>
        rowGroup.WriteAllPartsAsync<T>(Field, _values.AsMemory(0, Values), levels, null, cancellationToken);
}

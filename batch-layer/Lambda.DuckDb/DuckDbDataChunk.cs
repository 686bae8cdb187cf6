using DuckDB.NET.Native;
using Lambda.DuckDb.Native;

namespace Lambda.DuckDb;

/// <summary>
/// A data chunk to fill and append whole (<see cref="DuckDbAppender.AppendChunk"/>): one column vector
/// per type, up to <see cref="Capacity"/> rows. Fixed-width columns are written straight into the
/// vector through spans; strings and blobs are copied in per value. One P/Invoke per string instead of
/// one per value and row. Belongs to one thread.
/// </summary>
public sealed unsafe class DuckDbDataChunk : IDisposable
{
    private readonly DuckDbType[] _types;
    private readonly nint[] _vectors;
    private readonly nint[] _data;
    private readonly bool[] _validityWritable;
    private readonly DuckDBDataChunk _chunk;
    private bool _disposed;

    /// <summary>Creates a chunk with one column per type (fixed-width integers, DOUBLE, BOOLEAN, VARCHAR, BLOB).</summary>
    public DuckDbDataChunk(ReadOnlySpan<DuckDbType> types)
    {
        if (types.IsEmpty)
        {
            throw new ArgumentException("a data chunk needs at least one column", nameof(types));
        }

        _types = types.ToArray();
        var logical = new DuckDBLogicalType[_types.Length];
        try
        {
            var pointers = new nint[_types.Length];
            for (var i = 0; i < _types.Length; i++)
            {
                logical[i] = NativeMethods.LogicalType.DuckDBCreateLogicalType(_types[i].ToPackage());
                pointers[i] = logical[i].DangerousGetHandle();
            }

            // The chunk copies the types; they are destroyed below.
            _chunk = NativeMethods.DataChunks.DuckDBCreateDataChunk(pointers, (ulong)_types.Length);
        }
        finally
        {
            foreach (var type in logical)
            {
                type?.Dispose();
            }
        }

        if (_chunk.IsInvalid)
        {
            _chunk.Dispose();
            throw new DuckDbException("DuckDB could not create a data chunk");
        }

        Capacity = (int)NativeMethods.Helpers.DuckDBVectorSize();
        _vectors = new nint[_types.Length];
        _data = new nint[_types.Length];
        _validityWritable = new bool[_types.Length];
        LoadVectors();
    }

    /// <summary>A view over chunks DuckDB owns (a table function's output): <see cref="Attach"/> before use.</summary>
    internal DuckDbDataChunk(DuckDbType[] types, BorrowedDataChunk borrowed)
    {
        _types = types;
        _chunk = borrowed;
        Capacity = (int)NativeMethods.Helpers.DuckDBVectorSize();
        _vectors = new nint[_types.Length];
        _data = new nint[_types.Length];
        _validityWritable = new bool[_types.Length];
    }

    /// <summary>Rows a chunk holds (DuckDB's vector size, 2048).</summary>
    public int Capacity { get; }

    /// <summary>Rows filled so far; <see cref="DuckDbAppender.AppendChunk"/> appends this many.</summary>
    public int Size { get; set; }

    /// <summary>Whether <see cref="Size"/> reached <see cref="Capacity"/>.</summary>
    public bool IsFull => Size >= Capacity;

    internal DuckDBDataChunk Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _chunk;
        }
    }

    /// <summary>The values of a BIGINT column, writable (<see cref="Capacity"/> long).</summary>
    public Span<long> Int64Column(int column) => Column<long>(column, DuckDbType.BigInt);

    /// <summary>The values of a UBIGINT column, writable.</summary>
    public Span<ulong> UInt64Column(int column) => Column<ulong>(column, DuckDbType.UBigInt);

    /// <summary>The values of an INTEGER column, writable.</summary>
    public Span<int> Int32Column(int column) => Column<int>(column, DuckDbType.Integer);

    /// <summary>The values of a DOUBLE column, writable.</summary>
    public Span<double> DoubleColumn(int column) => Column<double>(column, DuckDbType.Double);

    /// <summary>Sets a VARCHAR (must be valid UTF-8: not checked here) or BLOB value; the bytes are copied.</summary>
    public void SetBytes(int column, int row, ReadOnlySpan<byte> value)
    {
        CheckCell(column, row);
        if (_types[column] is not (DuckDbType.Varchar or DuckDbType.Blob))
        {
            throw new InvalidCastException($"column {column} is {_types[column]}, not VARCHAR or BLOB");
        }

        // fixed over an empty span yields null; DuckDB needs a pointer even for "".
        byte empty = 0;
        fixed (byte* bytes = value)
        {
            NativeMethods.Vectors.DuckDBVectorAssignStringElementLength(_vectors[column], (ulong)row, value.IsEmpty ? &empty : bytes, value.Length);
        }
    }

    /// <summary>Sets SQL NULL.</summary>
    public void SetNull(int column, int row)
    {
        CheckCell(column, row);
        if (!_validityWritable[column])
        {
            NativeMethods.Vectors.DuckDBVectorEnsureValidityWritable(_vectors[column]);
            _validityWritable[column] = true;
        }

        var validity = NativeMethods.Vectors.DuckDBVectorGetValidity(_vectors[column]);
        validity[row >> 6] &= ~(1UL << (row & 63));
    }

    /// <summary>Empties the chunk for the next rows (after it was appended).</summary>
    public void Reset()
    {
        NativeMethods.DataChunks.DuckDBDataChunkReset(Handle);
        Size = 0;
        LoadVectors();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // A borrowed chunk's handle does not own it: disposing it only retires the handle.
        _disposed = true;
        _chunk.Dispose();
    }

    /// <summary>Points a borrowed view at DuckDB's chunk for this call (its vectors may move between calls).</summary>
    internal void Attach(nint chunk)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ((BorrowedDataChunk)_chunk).Point(chunk);
        Size = 0;
        LoadVectors();
    }

    internal void PrepareAppend()
    {
        if (Size < 0 || Size > Capacity)
        {
            throw new InvalidOperationException($"chunk size {Size} is outside 0..{Capacity}");
        }

        // Declared with a return value the C function (void) does not have: ignored.
        _ = NativeMethods.DataChunks.DuckDBDataChunkSetSize(Handle, (ulong)Size);
    }

    private Span<T> Column<T>(int column, DuckDbType expected)
        where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, _types.Length);
        if (_types[column] != expected)
        {
            throw new InvalidCastException($"column {column} is {_types[column]}, not {expected}");
        }

        return new Span<T>((void*)_data[column], Capacity);
    }

    private void CheckCell(int column, int row)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, _types.Length);
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Capacity);
    }

    private void LoadVectors()
    {
        for (var i = 0; i < _types.Length; i++)
        {
            _vectors[i] = NativeMethods.DataChunks.DuckDBDataChunkGetVector(_chunk, i);
            _data[i] = (nint)NativeMethods.Vectors.DuckDBVectorGetData(_vectors[i]);
            _validityWritable[i] = false;
        }
    }
}

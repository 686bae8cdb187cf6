using DuckDB.NET.Native;
using Lambda.DuckDb.Native;

namespace Lambda.DuckDb;

/// <summary>
/// Reads a materialized query result row by row, over DuckDB's data chunks (up to 2048 rows of
/// column vectors each): <see cref="Read"/> moves to the next row, getters read a column of it.
/// Spans returned by <see cref="GetBytes"/> stay valid until the next <see cref="Read"/> or dispose.
/// Belongs to its connection's thread.
/// </summary>
public sealed unsafe partial class DuckDbDataReader : IDisposable
{
    private readonly ResultHandle _result;
    private readonly string[] _names;
    private readonly DuckDbType[] _types;
    private readonly byte[] _decimalScales;
    private readonly DuckDbType[] _decimalStorage;
    private readonly nint[] _data;
    private readonly nint[] _validity;
    private int _row = -1;
    private int _chunkSize;
    private bool _done;

    internal DuckDbDataReader(ResultHandle result)
    {
        _result = result;
        ref var native = ref *result.Result;
        var count = (int)NativeMethods.Query.DuckDBColumnCount(ref native);
        _names = new string[count];
        _types = new DuckDbType[count];
        _decimalScales = new byte[count];
        _decimalStorage = new DuckDbType[count];
        _data = new nint[count];
        _validity = new nint[count];
        for (var i = 0; i < count; i++)
        {
            _names[i] = NativeMethods.Query.DuckDBColumnName(ref native, i) ?? "";
            _types[i] = TypeIds.FromPackage(NativeMethods.Query.DuckDBColumnType(ref native, i));
            if (_types[i] == DuckDbType.Decimal)
            {
                using var logical = NativeMethods.Query.DuckDBColumnLogicalType(ref native, i);
                _decimalScales[i] = NativeMethods.LogicalType.DuckDBDecimalScale(logical);
                _decimalStorage[i] = TypeIds.FromPackage(NativeMethods.LogicalType.DuckDBDecimalInternalType(logical));
            }
        }
        // Read before any chunk is fetched: the count of the whole materialized result.
        RowCount = NativeMethods.Query.DuckDBRowCount(ref native);
        RowsChanged = NativeMethods.Query.DuckDBRowsChanged(ref native);
    }

    /// <summary>Number of columns.</summary>
    public int FieldCount => _names.Length;

    /// <summary>Number of rows in the whole result.</summary>
    public long RowCount { get; }

    /// <summary>Rows changed by the statement (INSERT, UPDATE, DELETE, COPY).</summary>
    public long RowsChanged { get; }

    /// <summary>The name of a column.</summary>
    public string GetName(int ordinal) => _names[ordinal];

    /// <summary>The DuckDB type of a column.</summary>
    public DuckDbType GetColumnType(int ordinal) => _types[ordinal];

    /// <summary>The ordinal of the first column with this name (case-insensitive), or -1.</summary>
    public int GetOrdinal(string name) =>
        Array.FindIndex(_names, n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Moves to the next row; false once the result is exhausted.</summary>
    public bool Read()
    {
        if (++_row < _chunkSize)
        {
            return true;
        }
        ObjectDisposedException.ThrowIf(_result.IsDisposed, this);
        return !_done && NextChunk();
    }

    /// <summary>Whether the current row's value in a column is SQL NULL.</summary>
    public bool IsNull(int ordinal)
    {
        var validity = (ulong*)_validity[CheckRow(ordinal)];
        return validity != null && (validity[_row >> 6] & (1UL << (_row & 63))) == 0;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _done = true;
        _chunkSize = 0;
        _result.Dispose();
    }

    private bool NextChunk()
    {
        while (true)
        {
            // One handle object per chunk (2048 rows), none per row; the result destroys the previous chunk.
            var chunk = NativeMethods.Query.DuckDBFetchChunk(*_result.Result);
            _result.SetChunk(chunk);
            if (chunk.IsInvalid)
            {
                _done = true;
                _chunkSize = 0;
                return false;
            }
            var size = (int)NativeMethods.DataChunks.DuckDBDataChunkGetSize(chunk);
            if (size == 0)
            {
                continue;
            }
            for (var i = 0; i < _data.Length; i++)
            {
                var vector = NativeMethods.DataChunks.DuckDBDataChunkGetVector(chunk, i);
                _data[i] = (nint)NativeMethods.Vectors.DuckDBVectorGetData(vector);
                _validity[i] = (nint)NativeMethods.Vectors.DuckDBVectorGetValidity(vector);
            }
            _chunkSize = size;
            _row = 0;
            return true;
        }
    }

    /// <summary>Checks that the reader is on a row and the ordinal exists; returns the ordinal.</summary>
    private int CheckRow(int ordinal)
    {
        ObjectDisposedException.ThrowIf(_result.IsDisposed, this);
        if (_row < 0 || _row >= _chunkSize)
        {
            throw new InvalidOperationException("no current row: call Read() and check that it returned true");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(ordinal);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(ordinal, _data.Length);
        return ordinal;
    }
}

namespace Lambda.DuckDb;

/// <summary>
/// Whole-chunk access: <see cref="ReadChunk"/> moves to the next data chunk and the vector getters give
/// a column of it as a span (no call per value). Spans stay valid until the next read or dispose.
/// Use either <see cref="Read"/> or <see cref="ReadChunk"/> on one reader, not both.
/// </summary>
public sealed unsafe partial class DuckDbDataReader
{
    /// <summary>Rows in the current chunk (after <see cref="ReadChunk"/> returned true).</summary>
    public int ChunkRowCount => _chunkSize;

    /// <summary>Moves to the next non-empty chunk of rows; false once the result is exhausted.</summary>
    public bool ReadChunk()
    {
        ObjectDisposedException.ThrowIf(_result.IsDisposed, this);
        if (_done || !NextChunk())
        {
            return false;
        }

        // The row cursor sits on the chunk's last row, so a getter reads a row of this chunk.
        _row = _chunkSize - 1;
        return true;
    }

    /// <summary>A BIGINT column of the current chunk (NULL rows hold garbage: check <see cref="IsNullAt"/>).</summary>
    public ReadOnlySpan<long> GetInt64Vector(int ordinal) => Vector<long>(ordinal, DuckDbType.BigInt);

    /// <summary>A UBIGINT column of the current chunk.</summary>
    public ReadOnlySpan<ulong> GetUInt64Vector(int ordinal) => Vector<ulong>(ordinal, DuckDbType.UBigInt);

    /// <summary>An INTEGER column of the current chunk.</summary>
    public ReadOnlySpan<int> GetInt32Vector(int ordinal) => Vector<int>(ordinal, DuckDbType.Integer);

    /// <summary>Whether row <paramref name="row"/> of the current chunk is SQL NULL in a column.</summary>
    public bool IsNullAt(int ordinal, int row)
    {
        CheckRow(ordinal);
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, _chunkSize);
        var validity = (ulong*)_validity[ordinal];
        return validity != null && (validity[row >> 6] & (1UL << (row & 63))) == 0;
    }

    /// <summary>Whether a column of the current chunk has no NULL at all (then <see cref="IsNullAt"/> is always false).</summary>
    public bool HasNoNulls(int ordinal)
    {
        CheckRow(ordinal);
        var validity = (ulong*)_validity[ordinal];
        if (validity == null)
        {
            return true;
        }

        var words = new ReadOnlySpan<ulong>(validity, (_chunkSize + 63) >> 6);
        for (var w = 0; w < words.Length; w++)
        {
            var expected = w == words.Length - 1 && (_chunkSize & 63) != 0 ? (1UL << (_chunkSize & 63)) - 1 : ulong.MaxValue;
            if ((words[w] & expected) != expected)
            {
                return false;
            }
        }

        return true;
    }

    private ReadOnlySpan<T> Vector<T>(int ordinal, DuckDbType expected)
        where T : unmanaged
    {
        CheckRow(ordinal);
        if (_types[ordinal] != expected)
        {
            throw CastError(ordinal, $"a {expected} vector");
        }

        return new ReadOnlySpan<T>((void*)_data[ordinal], _chunkSize);
    }
}

using Lambda.DuckDb.Native;

namespace Lambda.DuckDb;

/// <summary>Strings of the current chunk by row, for readers moved with <see cref="ReadChunk"/>.</summary>
public sealed unsafe partial class DuckDbDataReader
{
    /// <summary>
    /// The bytes of a VARCHAR or BLOB at <paramref name="row"/> of the current chunk, without copying;
    /// valid until the next read or dispose. Check <see cref="IsNullAt"/> first (a NULL reads as empty).
    /// </summary>
    public ReadOnlySpan<byte> GetBytesAt(int ordinal, int row)
    {
        CheckRow(ordinal);
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, _chunkSize);
        if (_types[ordinal] is not (DuckDbType.Varchar or DuckDbType.Blob))
        {
            throw CastError(ordinal, "bytes");
        }

        var value = &((DuckDbString*)_data[ordinal])[row];
        var length = (int)value->Length;
        return new ReadOnlySpan<byte>(length <= DuckDbString.InlineLength ? &value->Inlined : value->Pointer, length);
    }
}

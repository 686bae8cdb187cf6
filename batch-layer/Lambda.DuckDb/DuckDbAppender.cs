using System.Runtime.CompilerServices;
using DuckDB.NET.Native;
using Lambda.DuckDb.Native;

namespace Lambda.DuckDb;

/// <summary>
/// Bulk insert into one table: append one value per column in column order, then <see cref="EndRow"/>.
/// DuckDB buffers rows and writes them on <see cref="Flush"/>, <see cref="Close"/>, or when its buffer
/// fills. Call <see cref="Close"/> to see a final flush error; <see cref="Dispose"/> flushes too but
/// cannot report failure. Belongs to its connection's thread.
/// </summary>
public sealed class DuckDbAppender : IDisposable
{
    private readonly AppenderHandle _handle;

    private DuckDbAppender(AppenderHandle handle) => _handle = handle;

    internal static DuckDbAppender Create(ConnectionHandle connection, string? schema, string table)
    {
        var status = NativeMethods.Appender.DuckDBAppenderCreate(connection.Live, schema, table, out var created);
        // As with prepare, a failed create still allocates an appender that holds the error.
        var handle = new AppenderHandle(Ownership.Take(created), connection);
        if (status != DuckDBState.Success)
        {
            var message = Error(handle);
            handle.Dispose();
            throw new DuckDbException(message);
        }
        return new DuckDbAppender(handle);
    }

    /// <summary>Appends SQL NULL.</summary>
    public void AppendNull() => Check(LocalNativeMethods.AppendNull(_handle.Value));

    /// <summary>Appends a BOOLEAN.</summary>
    public void AppendBoolean(bool value) => Check(LocalNativeMethods.AppendBoolean(_handle.Value, value));

    /// <summary>Appends an INTEGER.</summary>
    public void AppendInt32(int value) => Check(LocalNativeMethods.AppendInt32(_handle.Value, value));

    /// <summary>Appends a BIGINT.</summary>
    public void AppendInt64(long value) => Check(LocalNativeMethods.AppendInt64(_handle.Value, value));

    /// <summary>Appends a UBIGINT.</summary>
    public void AppendUInt64(ulong value) => Check(LocalNativeMethods.AppendUInt64(_handle.Value, value));

    /// <summary>Appends a DOUBLE.</summary>
    public void AppendDouble(double value) => Check(LocalNativeMethods.AppendDouble(_handle.Value, value));

    /// <summary>Appends a VARCHAR; null appends SQL NULL.</summary>
    [SkipLocalsInit] // the stack buffer is written before it is read
    public void AppendVarchar(string? value)
    {
        if (value is null)
        {
            AppendNull();
            return;
        }
        using var utf8 = PooledUtf8.Encode(value, stackalloc byte[PooledUtf8.StackBytes]);
        AppendVarchar(utf8.Bytes);
    }

    /// <summary>Appends a VARCHAR from UTF-8 bytes, without allocating.</summary>
    public unsafe void AppendVarchar(ReadOnlySpan<byte> utf8)
    {
        // fixed over an empty span yields null; DuckDB needs a pointer even for "".
        byte empty = 0;
        fixed (byte* bytes = utf8)
        {
            var data = utf8.IsEmpty ? &empty : bytes;
            Check(LocalNativeMethods.AppendVarcharLength(_handle.Value, data, (ulong)utf8.Length));
        }
    }

    /// <summary>Appends a BLOB.</summary>
    public unsafe void AppendBlob(ReadOnlySpan<byte> value)
    {
        byte empty = 0;
        fixed (byte* bytes = value)
        {
            var data = value.IsEmpty ? &empty : bytes;
            Check(LocalNativeMethods.AppendBlob(_handle.Value, data, (ulong)value.Length));
        }
    }

    /// <summary>Appends a TIMESTAMP (microsecond precision; a local time is converted to UTC).</summary>
    public void AppendTimestamp(DateTime value) =>
        Check(LocalNativeMethods.AppendTimestamp(_handle.Value, DuckDbTime.ToMicros(value)));

    /// <summary>
    /// Appends the first <see cref="DuckDbDataChunk.Size"/> rows of <paramref name="chunk"/> (its column
    /// types must match the table's, or be castable); then <see cref="DuckDbDataChunk.Reset"/> it to refill.
    /// </summary>
    public void AppendChunk(DuckDbDataChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        chunk.PrepareAppend();
        Check(NativeMethods.Appender.DuckDBAppendDataChunk(_handle.Live, chunk.Handle));
    }

    /// <summary>Finishes the current row; every column must have had a value.</summary>
    public void EndRow() => Check(LocalNativeMethods.AppenderEndRow(_handle.Value));

    /// <summary>Writes the buffered rows to the table.</summary>
    public void Flush() => Check(NativeMethods.Appender.DuckDBAppenderFlush(_handle.Live));

    /// <summary>Flushes and closes; later appends fail. Dispose is still needed (and safe) afterwards.</summary>
    public void Close() => Check(NativeMethods.Appender.DuckDBAppenderClose(_handle.Live));

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();

    private void Check(int status)
    {
        if (status != LocalNativeMethods.Success)
        {
            throw new DuckDbException(Error(_handle));
        }
    }

    private void Check(DuckDBState status) => Check((int)status);

    // duckdb_appender_error_data, duckdb_appender_error's successor in the package: a copy of the error to destroy.
    private static string Error(AppenderHandle appender)
    {
        const string Fallback = "the DuckDB appender reported an error";
        if (appender.IsInvalid)
        {
            return Fallback;
        }

        using var error = NativeMethods.Appender.DuckDBAppenderErrorData(appender);
        var message = error.IsInvalid ? null : NativeMethods.ErrorData.DuckDBErrorDataMessage(error);
        return string.IsNullOrEmpty(message) ? Fallback : message;
    }
}

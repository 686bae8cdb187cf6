using System.Runtime.CompilerServices;
using DuckDB.NET.Native;
using Lambda.DuckDb.Native;

namespace Lambda.DuckDb;

/// <summary>
/// A prepared statement. Parameters are numbered from 1 ($1 or the first ?); values are sent to
/// DuckDB as typed values, never spliced into SQL text. Bindings persist across executions until
/// rebound or <see cref="ClearBindings"/>. Belongs to its connection's thread.
/// </summary>
public sealed class DuckDbPreparedStatement : IDisposable
{
    private readonly PreparedStatementHandle _handle;
    private readonly ConnectionHandle _connection;

    private DuckDbPreparedStatement(PreparedStatementHandle handle, ConnectionHandle connection)
    {
        _handle = handle;
        _connection = connection;
        ParameterCount = (int)NativeMethods.PreparedStatements.DuckDBParams(handle);
    }

    /// <summary>How many parameters the statement takes.</summary>
    public int ParameterCount { get; }

    internal static DuckDbPreparedStatement Create(ConnectionHandle connection, string sql)
    {
        var status = NativeMethods.PreparedStatements.DuckDBPrepare(connection.Live, sql, out var created);
        // DuckDB allocates the statement even when preparing fails: it carries the error and must be destroyed.
        var handle = new PreparedStatementHandle(Ownership.Take(created), connection);
        if (status != DuckDBState.Success)
        {
            var message = Error(handle);
            handle.Dispose();
            throw new DuckDbException(message);
        }
        return new DuckDbPreparedStatement(handle, connection);
    }

    /// <summary>Binds SQL NULL.</summary>
    public void BindNull(int index) => Check(NativeMethods.PreparedStatements.DuckDBBindNull(Statement(index), index));

    /// <summary>Binds a BOOLEAN.</summary>
    public void BindBoolean(int index, bool value) => Check(NativeMethods.PreparedStatements.DuckDBBindBoolean(Statement(index), index, value));

    /// <summary>Binds an INTEGER.</summary>
    public void BindInt32(int index, int value) => Check(NativeMethods.PreparedStatements.DuckDBBindInt32(Statement(index), index, value));

    /// <summary>Binds a BIGINT.</summary>
    public void BindInt64(int index, long value) => Check(NativeMethods.PreparedStatements.DuckDBBindInt64(Statement(index), index, value));

    /// <summary>Binds a UBIGINT.</summary>
    public void BindUInt64(int index, ulong value) => Check(NativeMethods.PreparedStatements.DuckDBBindUInt64(Statement(index), index, value));

    /// <summary>Binds a DOUBLE.</summary>
    public void BindDouble(int index, double value) => Check(NativeMethods.PreparedStatements.DuckDBBindDouble(Statement(index), index, value));

    /// <summary>Binds a VARCHAR; null binds SQL NULL.</summary>
    [SkipLocalsInit] // the stack buffer is written before it is read
    public void BindVarchar(int index, string? value)
    {
        if (value is null)
        {
            BindNull(index);
            return;
        }
        using var utf8 = PooledUtf8.Encode(value, stackalloc byte[PooledUtf8.StackBytes]);
        BindVarchar(index, utf8.Bytes);
    }

    /// <summary>Binds a VARCHAR from UTF-8 bytes (DuckDB rejects invalid UTF-8).</summary>
    public unsafe void BindVarchar(int index, ReadOnlySpan<byte> utf8)
    {
        // fixed over an empty span yields null, which DuckDB would take as a missing value.
        byte empty = 0;
        fixed (byte* bytes = utf8)
        {
            var data = utf8.IsEmpty ? &empty : bytes;
            Check(LocalNativeMethods.BindVarcharLength(Statement(index).Value, (ulong)index, data, (ulong)utf8.Length));
        }
    }

    /// <summary>Binds a BLOB.</summary>
    public unsafe void BindBlob(int index, ReadOnlySpan<byte> value)
    {
        byte empty = 0;
        fixed (byte* bytes = value)
        {
            var data = value.IsEmpty ? &empty : bytes;
            Check(LocalNativeMethods.BindBlob(Statement(index).Value, (ulong)index, data, (ulong)value.Length));
        }
    }

    /// <summary>Binds a TIMESTAMP (microsecond precision; a local time is converted to UTC).</summary>
    public void BindTimestamp(int index, DateTime value) =>
        Check(NativeMethods.PreparedStatements.DuckDBBindTimestamp(Statement(index), index, new DuckDBTimestampStruct { Micros = DuckDbTime.ToMicros(value) }));

    /// <summary>Unbinds every parameter.</summary>
    public void ClearBindings() => Check(LocalNativeMethods.ClearBindings(_handle.Value));

    /// <summary>Executes with the bound parameters and returns the rows changed.</summary>
    public unsafe long Execute()
    {
        using var result = Run();
        return NativeMethods.Query.DuckDBRowsChanged(ref *result.Result);
    }

    /// <summary>Executes with the bound parameters and returns a reader over the result.</summary>
    public DuckDbDataReader Query() => new(Run());

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();

    private unsafe ResultHandle Run()
    {
        var result = ResultHandle.Allocate(_connection);
        return result.ThrowIfFailed(LocalNativeMethods.ExecutePrepared(_handle.Value, result.Result));
    }

    /// <summary>
    /// Executes task by task through a pending result, sleeping 1 ms whenever no task is left for this
    /// thread (see <see cref="DuckDbConnection.QueryWithoutSpinning"/>). The result outlives the statement.
    /// </summary>
    internal unsafe ResultHandle RunWithoutSpinning()
    {
        var status = LocalNativeMethods.PendingPrepared(_handle.Value, out var pending);
        try
        {
            // As with preparing, a failed pending result still carries the error and must be destroyed.
            if (status != LocalNativeMethods.Success)
            {
                throw new DuckDbException(LocalNativeMethods.ToManaged(LocalNativeMethods.PendingError(pending)) ?? "execution failed");
            }

            while (LocalNativeMethods.PendingExecuteTask(pending) is var state && state != LocalNativeMethods.PendingState.ResultReady)
            {
                if (state == LocalNativeMethods.PendingState.Error)
                {
                    throw new DuckDbException(LocalNativeMethods.ToManaged(LocalNativeMethods.PendingError(pending)) ?? "execution failed");
                }

                if (state == LocalNativeMethods.PendingState.NoTasksAvailable)
                {
                    Thread.Sleep(1);
                }
            }

            var result = ResultHandle.Allocate(_connection);
            return result.ThrowIfFailed(LocalNativeMethods.ExecutePending(pending, result.Result));
        }
        finally
        {
            LocalNativeMethods.DestroyPending(ref pending);
        }
    }

    private PreparedStatementHandle Statement(int index)
    {
        var statement = _handle.Live;
        if (index < 1 || index > ParameterCount)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"parameters are numbered 1..{ParameterCount}");
        }
        return statement;
    }

    private void Check(int status)
    {
        if (status != LocalNativeMethods.Success)
        {
            throw new DuckDbException(Error(_handle));
        }
    }

    private void Check(DuckDBState status) => Check((int)status);

    private static string Error(PreparedStatementHandle statement) =>
        (statement.IsInvalid ? null : NativeMethods.PreparedStatements.DuckDBPrepareError(statement))
        ?? "DuckDB could not bind or prepare the statement";
}

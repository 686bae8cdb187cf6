using System.Runtime.CompilerServices;
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
        ParameterCount = (int)NativeMethods.ParameterCount(handle.Value);
    }

    /// <summary>How many parameters the statement takes.</summary>
    public int ParameterCount { get; }

    internal static unsafe DuckDbPreparedStatement Create(ConnectionHandle connection, string sql)
    {
        var status = NativeMethods.Prepare(connection.Value, sql, out var statement);
        // DuckDB allocates the statement even when preparing fails: it carries the error and must be destroyed.
        var handle = new PreparedStatementHandle(statement, connection);
        if (status != NativeMethods.Success)
        {
            var message = Error(statement);
            handle.Dispose();
            throw new DuckDbException(message);
        }
        return new DuckDbPreparedStatement(handle, connection);
    }

    /// <summary>Binds SQL NULL.</summary>
    public void BindNull(int index) => Check(NativeMethods.BindNull(Statement(index), (ulong)index));

    /// <summary>Binds a BOOLEAN.</summary>
    public void BindBoolean(int index, bool value) => Check(NativeMethods.BindBoolean(Statement(index), (ulong)index, value));

    /// <summary>Binds an INTEGER.</summary>
    public void BindInt32(int index, int value) => Check(NativeMethods.BindInt32(Statement(index), (ulong)index, value));

    /// <summary>Binds a BIGINT.</summary>
    public void BindInt64(int index, long value) => Check(NativeMethods.BindInt64(Statement(index), (ulong)index, value));

    /// <summary>Binds a UBIGINT.</summary>
    public void BindUInt64(int index, ulong value) => Check(NativeMethods.BindUInt64(Statement(index), (ulong)index, value));

    /// <summary>Binds a DOUBLE.</summary>
    public void BindDouble(int index, double value) => Check(NativeMethods.BindDouble(Statement(index), (ulong)index, value));

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
            Check(NativeMethods.BindVarcharLength(Statement(index), (ulong)index, data, (ulong)utf8.Length));
        }
    }

    /// <summary>Binds a BLOB.</summary>
    public unsafe void BindBlob(int index, ReadOnlySpan<byte> value)
    {
        byte empty = 0;
        fixed (byte* bytes = value)
        {
            var data = value.IsEmpty ? &empty : bytes;
            Check(NativeMethods.BindBlob(Statement(index), (ulong)index, data, (ulong)value.Length));
        }
    }

    /// <summary>Binds a TIMESTAMP (microsecond precision; a local time is converted to UTC).</summary>
    public void BindTimestamp(int index, DateTime value) =>
        Check(NativeMethods.BindTimestamp(Statement(index), (ulong)index, DuckDbTime.ToMicros(value)));

    /// <summary>Unbinds every parameter.</summary>
    public void ClearBindings() => Check(NativeMethods.ClearBindings(_handle.Value));

    /// <summary>Executes with the bound parameters and returns the rows changed.</summary>
    public unsafe long Execute()
    {
        using var result = Run();
        return (long)NativeMethods.RowsChanged(result.Result);
    }

    /// <summary>Executes with the bound parameters and returns a reader over the result.</summary>
    public DuckDbDataReader Query() => new(Run());

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();

    private unsafe ResultHandle Run()
    {
        var result = ResultHandle.Allocate(_connection);
        return result.ThrowIfFailed(NativeMethods.ExecutePrepared(_handle.Value, result.Result));
    }

    /// <summary>
    /// Executes task by task through a pending result, sleeping 1 ms whenever no task is left for this
    /// thread (see <see cref="DuckDbConnection.QueryWithoutSpinning"/>). The result outlives the statement.
    /// </summary>
    internal unsafe ResultHandle RunWithoutSpinning()
    {
        var status = NativeMethods.PendingPrepared(_handle.Value, out var pending);
        try
        {
            // As with preparing, a failed pending result still carries the error and must be destroyed.
            if (status != NativeMethods.Success)
            {
                throw new DuckDbException(NativeMethods.ToManaged(NativeMethods.PendingError(pending)) ?? "execution failed");
            }

            while (NativeMethods.PendingExecuteTask(pending) is var state && state != NativeMethods.PendingState.ResultReady)
            {
                if (state == NativeMethods.PendingState.Error)
                {
                    throw new DuckDbException(NativeMethods.ToManaged(NativeMethods.PendingError(pending)) ?? "execution failed");
                }

                if (state == NativeMethods.PendingState.NoTasksAvailable)
                {
                    Thread.Sleep(1);
                }
            }

            var result = ResultHandle.Allocate(_connection);
            return result.ThrowIfFailed(NativeMethods.ExecutePending(pending, result.Result));
        }
        finally
        {
            NativeMethods.DestroyPending(ref pending);
        }
    }

    private nint Statement(int index)
    {
        var statement = _handle.Value;
        if (index < 1 || index > ParameterCount)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"parameters are numbered 1..{ParameterCount}");
        }
        return statement;
    }

    private void Check(int status)
    {
        if (status != NativeMethods.Success)
        {
            throw new DuckDbException(Error(_handle.Value));
        }
    }

    private static unsafe string Error(nint statement) =>
        NativeMethods.ToManaged(NativeMethods.PrepareError(statement)) ?? "DuckDB could not bind or prepare the statement";
}

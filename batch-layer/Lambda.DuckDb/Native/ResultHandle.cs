using System.Runtime.InteropServices;

namespace Lambda.DuckDb.Native;

/// <summary>
/// Owns a caller-allocated duckdb_result (native memory, so its address is stable) and the data chunk
/// currently being read from it. Release destroys the chunk, then the result, then frees the memory.
/// </summary>
internal sealed unsafe class ResultHandle : DuckDbHandle
{
    private nint _chunk;

    private ResultHandle(nint value, ConnectionHandle connection)
        : base(value, connection)
    {
    }

    /// <summary>
    /// Allocates a zeroed result; destroying a zeroed result is a no-op in DuckDB. The connection may
    /// already be disposed by its owner (a statement still holds it), but not released.
    /// </summary>
    internal static ResultHandle Allocate(ConnectionHandle connection)
    {
        ObjectDisposedException.ThrowIf(connection.IsClosed, connection);
        var memory = NativeMemory.AllocZeroed((nuint)sizeof(NativeMethods.DuckDbResult));
        return new ResultHandle((nint)memory, connection);
    }

    internal NativeMethods.DuckDbResult* Result => (NativeMethods.DuckDbResult*)Value;

    /// <summary>Replaces the current chunk, destroying the previous one.</summary>
    internal void SetChunk(nint chunk)
    {
        if (_chunk != 0)
        {
            NativeMethods.DestroyDataChunk(ref _chunk);
        }
        _chunk = chunk;
    }

    /// <summary>DuckDB's message for a failed query, or a fallback.</summary>
    internal string ErrorMessage() =>
        NativeMethods.ToManaged(NativeMethods.ResultError(Result)) ?? "DuckDB reported an error without a message";

    /// <summary>
    /// Returns this result when <paramref name="state"/> (of the call that filled it) is success; else
    /// disposes it and throws DuckDB's message.
    /// </summary>
    internal ResultHandle ThrowIfFailed(int state)
    {
        if (state == NativeMethods.Success)
        {
            return this;
        }

        var message = ErrorMessage();
        Dispose();
        throw new DuckDbException(message);
    }

    protected override void Release(nint value)
    {
        SetChunk(0);
        NativeMethods.DestroyResult((NativeMethods.DuckDbResult*)value);
        NativeMemory.Free((void*)value);
    }
}

using System.Runtime.InteropServices;
using DuckDB.NET.Native;

namespace Lambda.DuckDb.Native;

/// <summary>
/// Owns a caller-allocated duckdb_result (native memory, so its address is stable while readers hold
/// pointers into it) and the data chunk currently being read from it. Release destroys the chunk, then
/// the result, then frees the memory, then lets go of the connection.
/// </summary>
internal sealed unsafe class ResultHandle : SafeHandle
{
    private readonly ParentLease _connection;
    private volatile bool _disposed;
    private DuckDBDataChunk? _chunk;

    private ResultHandle(nint value, ConnectionHandle connection)
        : base(0, ownsHandle: true)
    {
        _connection = new ParentLease(connection, value);
        SetHandle(value);
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>True once its owner disposed it.</summary>
    internal bool IsDisposed => _disposed || IsClosed;

    /// <summary>
    /// Allocates a zeroed result; destroying a zeroed result is a no-op in DuckDB. The connection may
    /// already be disposed by its owner (a statement still holds it), but not released.
    /// </summary>
    internal static ResultHandle Allocate(ConnectionHandle connection)
    {
        ObjectDisposedException.ThrowIf(connection.IsClosed, connection);
        var memory = NativeMemory.AllocZeroed((nuint)sizeof(DuckDBResult));
        return new ResultHandle((nint)memory, connection);
    }

    /// <summary>The result, for NativeMethods' <c>ref</c>/<c>out DuckDBResult</c> (<c>ref *Result</c>); throws once disposed.</summary>
    internal DuckDBResult* Result
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            return (DuckDBResult*)handle;
        }
    }

    /// <summary>Replaces the current chunk, destroying the previous one.</summary>
    internal void SetChunk(DuckDBDataChunk? chunk)
    {
        _chunk?.Dispose();
        _chunk = chunk;
    }

    /// <summary>DuckDB's message for a failed query, or a fallback.</summary>
    internal string ErrorMessage() =>
        NativeMethods.Query.DuckDBResultError(ref *Result) ?? "DuckDB reported an error without a message";

    /// <summary>
    /// Returns this result when <paramref name="state"/> (of the call that filled it) is success; else
    /// disposes it and throws DuckDB's message.
    /// </summary>
    internal ResultHandle ThrowIfFailed(int state)
    {
        if (state == LocalNativeMethods.Success)
        {
            return this;
        }

        var message = ErrorMessage();
        Dispose();
        throw new DuckDbException(message);
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        base.Dispose(disposing);
    }

    protected override bool ReleaseHandle()
    {
        try
        {
            // From the finalizer the chunk's own may have run first; disposing it again does nothing.
            SetChunk(null);
            NativeMethods.Query.DuckDBDestroyResult(ref *(DuckDBResult*)handle);
            NativeMemory.Free((void*)handle);
            return true;
        }
        finally
        {
            _connection.Release();
        }
    }
}

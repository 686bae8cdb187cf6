using DuckDB.NET.Native;

namespace Lambda.DuckDb.Native;

// Each handle is the package's own SafeHandle type, so its NativeMethods take it as it is, and its release
// is the package's (duckdb_close, duckdb_disconnect, ...). What the package's types lack is added here:
// a parent count (ParentLease) and a flag for the owner's Dispose, after which the owner may no longer use
// the handle although the native object may live on (IsClosed still false) while children hold counts.

internal sealed class DatabaseHandle : DuckDBDatabase
{
    private volatile bool _disposed;

    internal DatabaseHandle(nint value) => SetHandle(value);

    /// <summary>This handle, to pass to a call; throws once its owner disposed it.</summary>
    internal DatabaseHandle Live => _disposed || IsClosed ? throw new ObjectDisposedException(nameof(DuckDbDatabase)) : this;

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        base.Dispose(disposing);
    }
}

internal sealed class ConnectionHandle : DuckDBNativeConnection
{
    private readonly ParentLease _database;
    private volatile bool _disposed;

    internal ConnectionHandle(nint value, DatabaseHandle database)
    {
        _database = new ParentLease(database, value);
        SetHandle(value);
    }

    /// <inheritdoc cref="DatabaseHandle.Live"/>
    internal ConnectionHandle Live => _disposed || IsClosed ? throw new ObjectDisposedException(nameof(DuckDbConnection)) : this;

    /// <inheritdoc cref="PreparedStatementHandle.Value"/>
    internal nint Value => Live.handle;

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        base.Dispose(disposing);
    }

    protected override bool ReleaseHandle()
    {
        try
        {
            return base.ReleaseHandle();
        }
        finally
        {
            _database.Release();
        }
    }
}

internal sealed class PreparedStatementHandle : DuckDBPreparedStatement
{
    private readonly ParentLease _connection;
    private volatile bool _disposed;

    internal PreparedStatementHandle(nint value, ConnectionHandle connection)
    {
        _connection = new ParentLease(connection, value);
        SetHandle(value);
    }

    /// <inheritdoc cref="DatabaseHandle.Live"/>
    internal PreparedStatementHandle Live => _disposed || IsClosed ? throw new ObjectDisposedException(nameof(DuckDbPreparedStatement)) : this;

    /// <summary>The native pointer, for the functions declared in <see cref="LocalNativeMethods"/>; throws once disposed.</summary>
    internal nint Value => Live.handle;

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        base.Dispose(disposing);
    }

    protected override bool ReleaseHandle()
    {
        try
        {
            return base.ReleaseHandle();
        }
        finally
        {
            _connection.Release();
        }
    }
}

internal sealed class AppenderHandle : DuckDBAppender
{
    private readonly ParentLease _connection;
    private volatile bool _disposed;

    internal AppenderHandle(nint value, ConnectionHandle connection)
    {
        _connection = new ParentLease(connection, value);
        SetHandle(value);
    }

    /// <inheritdoc cref="DatabaseHandle.Live"/>
    internal AppenderHandle Live => _disposed || IsClosed ? throw new ObjectDisposedException(nameof(DuckDbAppender)) : this;

    /// <inheritdoc cref="PreparedStatementHandle.Value"/>
    internal nint Value => Live.handle;

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        base.Dispose(disposing);
    }

    // The package's release is duckdb_appender_destroy, which flushes what is left; a failure there is
    // lost, which is why DuckDbAppender.Close exists.
    protected override bool ReleaseHandle()
    {
        try
        {
            return base.ReleaseHandle();
        }
        finally
        {
            _connection.Release();
        }
    }
}

/// <summary>
/// A data chunk DuckDB owns and lends for one callback (a table function's output): never released here,
/// and pointed at each call's chunk so that no handle is allocated per chunk.
/// </summary>
internal sealed class BorrowedDataChunk() : DuckDBDataChunk(0)
{
    internal void Point(nint chunk) => SetHandle(chunk);
}

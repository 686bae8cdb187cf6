namespace Lambda.DuckDb.Native;

internal sealed class DatabaseHandle(nint value) : DuckDbHandle(value, parent: null)
{
    protected override void Release(nint value) => NativeMethods.Close(ref value);
}

internal sealed class ConnectionHandle(nint value, DatabaseHandle database) : DuckDbHandle(value, database)
{
    protected override void Release(nint value) => NativeMethods.Disconnect(ref value);
}

internal sealed class PreparedStatementHandle(nint value, ConnectionHandle connection) : DuckDbHandle(value, connection)
{
    protected override void Release(nint value) => NativeMethods.DestroyPrepare(ref value);
}

internal sealed class AppenderHandle(nint value, ConnectionHandle connection) : DuckDbHandle(value, connection)
{
    // Destroy flushes what is left; a failure there is lost, which is why DuckDbAppender.Close exists.
    protected override void Release(nint value) => NativeMethods.AppenderDestroy(ref value);
}

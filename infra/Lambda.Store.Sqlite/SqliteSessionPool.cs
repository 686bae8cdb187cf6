using System.Collections.Concurrent;
using System.Data;

namespace Lambda.Store.Sqlite;

/// <summary>
/// Idle sessions ready for reuse. Any number may be rented at once (readers never wait for each
/// other in WAL mode); at most <c>maxIdle</c> are kept when returned.
/// </summary>
internal sealed class SqliteSessionPool(string connectionString, int maxIdle) : IDisposable
{
    private readonly ConcurrentBag<SqliteSession> _idle = [];
    private int _idleCount;
    private volatile bool _disposed;

    public SqliteSession Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryTake(out var session))
        {
            Interlocked.Decrement(ref _idleCount);
            return session;
        }
        return new SqliteSession(connectionString);
    }

    public void Return(SqliteSession session)
    {
        if (!_disposed && session.Connection.State == ConnectionState.Open)
        {
            if (Interlocked.Increment(ref _idleCount) <= maxIdle)
            {
                _idle.Add(session);
                // A dispose that ran between the check and the add would leak the session.
                if (_disposed)
                {
                    Drain();
                }
                return;
            }
            Interlocked.Decrement(ref _idleCount);
        }
        session.Dispose();
    }

    public void Dispose()
    {
        _disposed = true;
        Drain();
    }

    private void Drain()
    {
        while (_idle.TryTake(out var session))
        {
            session.Dispose();
        }
    }
}

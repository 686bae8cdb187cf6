using System.Net.Sockets;
using Npgsql;

namespace Lambda.Store.Postgres;

/// <summary>
/// Clears a data source's pool when a statement fails because its connection is gone. Npgsql does not
/// test pooled connections on checkout, so after a server restart every idle connection the shutdown
/// cut would fail one request each; cleared, the next request opens a fresh one.
/// </summary>
internal static class PostgresBrokenConnections
{
    /// <summary>Awaits <paramref name="work"/>; on a connection-level failure clears the pool, then rethrows.</summary>
    public static async Task<T> Guard<T>(NpgsqlDataSource dataSource, Task<T> work)
    {
        try
        {
            return await work.ConfigureAwait(false);
        }
        catch (NpgsqlException e) when (ClearIfBroken(dataSource, e))
        {
            throw; // Not reached: the filter only clears.
        }
    }

    /// <inheritdoc cref="Guard{T}(NpgsqlDataSource, Task{T})"/>
    public static async Task<T> Guard<T>(NpgsqlDataSource dataSource, ValueTask<T> work)
    {
        try
        {
            return await work.ConfigureAwait(false);
        }
        catch (NpgsqlException e) when (ClearIfBroken(dataSource, e))
        {
            throw; // Not reached: the filter only clears.
        }
    }

    /// <summary>Clears the pool if <paramref name="e"/> says the connection broke; always false (an exception filter).</summary>
    public static bool ClearIfBroken(NpgsqlDataSource dataSource, NpgsqlException e)
    {
        if (IsBroken(e))
        {
            dataSource.Clear();
        }

        return false;
    }

    /// <summary>
    /// Connection-level failures: lost or refused connections and the server's shutdown or
    /// connection-exception states, not a statement's own error (a constraint, a deadlock).
    /// </summary>
    public static bool IsBroken(NpgsqlException e) => e switch
    {
        PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState is "57P01" or "57P02" or "57P03",
        _ => e.IsTransient || e.InnerException is IOException or SocketException || e.GetBaseException() is IOException or SocketException,
    };
}

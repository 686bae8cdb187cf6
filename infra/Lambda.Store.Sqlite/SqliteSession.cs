using Microsoft.Data.Sqlite;

namespace Lambda.Store.Sqlite;

/// <summary>
/// One open connection with its per-connection pragmas applied once and its prepared statements
/// cached, so a call costs a bind and a step rather than an open and a parse.
/// </summary>
internal sealed class SqliteSession : IDisposable
{
    private readonly Dictionary<SqliteStatement, SqliteCommand> _commands = new(ReferenceEqualityComparer.Instance);

    public SqliteSession(string connectionString)
    {
        Connection = new SqliteConnection(connectionString);
        Connection.Open();
        using var pragmas = Connection.CreateCommand();
        // busy_timeout lets SQLite wait for another process's writer instead of failing at once;
        // synchronous=NORMAL is durable across process crashes in WAL mode (only power loss can
        // drop the last commits) and avoids an fsync per transaction.
        pragmas.CommandText =
            "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; " +
            "PRAGMA mmap_size = 268435456; PRAGMA cache_size = -16384;";
        pragmas.ExecuteNonQuery();
    }

    public SqliteConnection Connection { get; }

    /// <summary>The prepared command of <paramref name="statement"/>, bound to <paramref name="transaction"/>.</summary>
    public SqliteCommand Command(SqliteStatement statement, SqliteTransaction? transaction)
    {
        if (!_commands.TryGetValue(statement, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = statement.Sql;
            foreach (var name in statement.Parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }
            _commands.Add(statement, command);
        }
        command.Transaction = transaction;
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
        _commands.Clear();
        Connection.Dispose();
    }
}

using Lambda.SharedModel.Views;
using Microsoft.Data.Sqlite;

namespace Lambda.Store.Sqlite;

/// <summary>
/// The embedded view store: one SQLite database file in WAL mode. Any number of concurrent
/// readers (threads or processes) each see a consistent snapshot; writers are serialized, within
/// this process by a gate and across processes by SQLite's write lock (with a busy timeout).
/// </summary>
public sealed partial class SqliteViewStore : IViewStore
{
    private readonly SqliteSessionPool _sessions;
    // One writer at a time in this process, so writers queue here instead of spinning on SQLITE_BUSY.
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly TimeProvider _time;

    /// <summary>A store over the database file at <paramref name="databasePath"/> (created if missing).</summary>
    /// <param name="maxIdleConnections">Open connections kept for reuse; more may be open under load.</param>
    /// <param name="time">The clock of the times the store records (partition claims); the system's by default.</param>
    public SqliteViewStore(string databasePath, int maxIdleConnections = 16, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        ArgumentOutOfRangeException.ThrowIfNegative(maxIdleConnections);
        DatabasePath = databasePath;
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // The store keeps its own pool of sessions, each with prepared statements.
            Pooling = false,
        }.ToString();
        _sessions = new SqliteSessionPool(connectionString, maxIdleConnections);
    }

    /// <summary>The database file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc />
    public string Kind => "sqlite";

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var session = _sessions.Rent();
        try
        {
            using (var wal = session.Connection.CreateCommand())
            {
                // Persistent in the file: every later connection, in any process, uses WAL.
                wal.CommandText = "PRAGMA journal_mode = WAL";
                wal.ExecuteNonQuery();
            }
            using var transaction = session.Connection.BeginTransaction(deferred: false);
            using var ddl = session.Connection.CreateCommand();
            ddl.Transaction = transaction;
            ddl.CommandText = SqliteSql.Schema;
            ddl.ExecuteNonQuery();
            AddMissingStatusColumns(session.Connection, transaction);
            transaction.Commit();
        }
        finally
        {
            _sessions.Return(session);
            _writeGate.Release();
        }
    }

    /// <summary>A store made by an older build lacks the newer status counters: SQLite has no ADD COLUMN IF NOT EXISTS.</summary>
    private static void AddMissingStatusColumns(SqliteConnection connection, SqliteTransaction transaction)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        using (var columns = connection.CreateCommand())
        {
            columns.Transaction = transaction;
            columns.CommandText = "SELECT name FROM pragma_table_info('speed_partition_status')";
            using var reader = columns.ExecuteReader();
            while (reader.Read())
            {
                present.Add(reader.GetString(0));
            }
        }

        foreach (var (column, definition) in SqliteSql.AddedStatusColumns.Where(c => !present.Contains(c.Column)))
        {
            using var add = connection.CreateCommand();
            add.Transaction = transaction;
            add.CommandText = $"ALTER TABLE speed_partition_status ADD COLUMN {column} {definition}";
            add.ExecuteNonQuery();
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _sessions.Dispose();
        _writeGate.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction (BEGIN IMMEDIATE) and commits it.</summary>
    private async Task<T> WriteAsync<T>(Func<SqliteSession, SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var session = _sessions.Rent();
            try
            {
                // IMMEDIATE takes the write lock up front: a deferred transaction that upgrades
                // later can fail with SQLITE_BUSY without waiting for the busy timeout.
                using var transaction = session.Connection.BeginTransaction(deferred: false);
                var result = work(session, transaction);
                transaction.Commit();
                return result;
            }
            finally
            {
                _sessions.Return(session);
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a pooled session; with <paramref name="snapshot"/>, inside one
    /// deferred transaction, which in WAL mode reads one snapshot of the database throughout.
    /// </summary>
    private T Read<T>(bool snapshot, Func<SqliteSession, SqliteTransaction?, T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var session = _sessions.Rent();
        try
        {
            if (!snapshot)
            {
                return work(session, null);
            }
            using var transaction = session.Connection.BeginTransaction(deferred: true);
            var result = work(session, transaction);
            transaction.Commit();
            return result;
        }
        finally
        {
            _sessions.Return(session);
        }
    }

    private static List<T> ReadAll<T>(SqliteCommand command, Func<SqliteDataReader, T> map)
    {
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(map(reader));
        }
        return rows;
    }

    private static T? ReadSingle<T>(SqliteCommand command, Func<SqliteDataReader, T> map) where T : class
    {
        using var reader = command.ExecuteReader();
        return reader.Read() ? map(reader) : null;
    }
}

using Lambda.SharedModel.Jobs;
using Microsoft.Data.Sqlite;

namespace Lambda.Store.Sqlite;

/// <summary>
/// The job history in the SQLite view store's database file (table <c>job_runs</c>). A few writes per
/// job run, so plain pooled connections.
/// </summary>
public sealed class SqliteJobHistoryStore : IJobHistoryStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS job_runs (
            run_id        INTEGER PRIMARY KEY AUTOINCREMENT,
            job_name      TEXT    NOT NULL,
            instance      TEXT    NOT NULL,
            trigger_kind  TEXT    NOT NULL,
            started_at_us INTEGER NOT NULL,
            ended_at_us   INTEGER,
            outcome       TEXT    NOT NULL,
            rows_done     INTEGER NOT NULL,
            attempts      INTEGER NOT NULL,
            error         TEXT
        );
        CREATE INDEX IF NOT EXISTS job_runs_by_job ON job_runs (job_name, run_id);
        """;

    private const string Columns =
        "run_id, job_name, instance, trigger_kind, started_at_us, ended_at_us, outcome, rows_done, attempts, error";

    private readonly string _connectionString;

    /// <summary>A history over the database file at <paramref name="databasePath"/> (created if missing).</summary>
    public SqliteJobHistoryStore(string databasePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            DefaultTimeout = 10,
        }.ToString();
    }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var ddl = connection.CreateCommand();
        ddl.CommandText = Schema;
        await ddl.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<long> RecordStartAsync(string jobName, string instance, string trigger, DateTimeOffset startedAt,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobName);
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(trigger);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO job_runs (job_name, instance, trigger_kind, started_at_us, outcome, rows_done, attempts)
            VALUES ($j, $i, $t, $s, 'running', 0, 0) RETURNING run_id
            """;
        insert.Parameters.AddWithValue("$j", jobName);
        insert.Parameters.AddWithValue("$i", instance);
        insert.Parameters.AddWithValue("$t", trigger);
        insert.Parameters.AddWithValue("$s", SqliteRows.ToUnixMicros(startedAt));
        return (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async Task RecordEndAsync(long runId, DateTimeOffset endedAt, string outcome, long rows, int attempts, string? error,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(outcome);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var update = connection.CreateCommand();
        update.CommandText = """
            UPDATE job_runs SET ended_at_us = $e, outcome = $o, rows_done = $r, attempts = $a, error = $err
            WHERE run_id = $id
            """;
        update.Parameters.AddWithValue("$e", SqliteRows.ToUnixMicros(endedAt));
        update.Parameters.AddWithValue("$o", outcome);
        update.Parameters.AddWithValue("$r", rows);
        update.Parameters.AddWithValue("$a", attempts);
        update.Parameters.AddWithValue("$err", (object?)error ?? DBNull.Value);
        update.Parameters.AddWithValue("$id", runId);
        if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
        {
            throw new InvalidOperationException($"job run {runId} does not exist");
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<JobRun>> ListRunsAsync(string? jobName, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = connection.CreateCommand();
        select.CommandText = $"""
            SELECT {Columns} FROM job_runs WHERE ($j IS NULL OR job_name = $j) ORDER BY run_id DESC LIMIT $n
            """;
        select.Parameters.AddWithValue("$j", (object?)jobName ?? DBNull.Value);
        select.Parameters.AddWithValue("$n", limit);
        return await ReadAsync(select, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<JobRun>> LatestRunPerJobAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = connection.CreateCommand();
        select.CommandText = $"""
            SELECT {Columns} FROM job_runs
            WHERE run_id IN (SELECT MAX(run_id) FROM job_runs GROUP BY job_name)
            ORDER BY job_name
            """;
        return await ReadAsync(select, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static async Task<IReadOnlyList<JobRun>> ReadAsync(SqliteCommand select, CancellationToken cancellationToken)
    {
        var runs = new List<JobRun>();
        await using var r = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            runs.Add(new JobRun(
                r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3),
                SqliteRows.FromUnixMicros(r.GetInt64(4)),
                r.IsDBNull(5) ? null : SqliteRows.FromUnixMicros(r.GetInt64(5)),
                r.GetString(6), r.GetInt64(7), r.GetInt32(8), r.IsDBNull(9) ? null : r.GetString(9)));
        }

        return runs;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }
}

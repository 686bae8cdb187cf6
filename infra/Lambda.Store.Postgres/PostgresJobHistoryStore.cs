using System.Text.RegularExpressions;
using Lambda.SharedModel.Jobs;
using Npgsql;

namespace Lambda.Store.Postgres;

/// <summary>
/// The job history in the PostgreSQL view store's schema (table <c>job_runs</c>). Takes the same
/// connection string and schema as <see cref="PostgresViewStore"/>.
/// </summary>
public sealed partial class PostgresJobHistoryStore : IJobHistoryStore
{
    private const string Columns =
        "run_id, job_name, instance, trigger_kind, started_at, ended_at, outcome, rows_done, attempts, error";

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _table;
    private readonly string _schemaSql;

    /// <summary>A history over <paramref name="connectionString"/>, table in <paramref name="schema"/>.</summary>
    public PostgresJobHistoryStore(string connectionString, string schema = PostgresViewStore.DefaultSchema)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        if (!SchemaName().IsMatch(schema))
        {
            throw new ArgumentException($"Schema name '{schema}' must match {SchemaName()}.", nameof(schema));
        }

        _dataSource = NpgsqlDataSource.Create(connectionString);
        _table = $"\"{schema}\".job_runs";
        _schemaSql = $"""
            CREATE SCHEMA IF NOT EXISTS "{schema}";
            CREATE TABLE IF NOT EXISTS {_table} (
                run_id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                job_name     text COLLATE "C" NOT NULL,
                instance     text NOT NULL,
                trigger_kind text NOT NULL,
                started_at   timestamptz NOT NULL,
                ended_at     timestamptz,
                outcome      text NOT NULL,
                rows_done    bigint NOT NULL,
                attempts     integer NOT NULL,
                error        text
            );
            CREATE INDEX IF NOT EXISTS job_runs_by_job ON {_table} (job_name, run_id);
            """;
        Schema = schema;
    }

    /// <summary>The schema holding the table.</summary>
    public string Schema { get; }

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken = default) =>
        PostgresSchemaCreator.CreateAsync(_dataSource, "lambda.job-runs:" + Schema, _schemaSql, cancellationToken);

    /// <inheritdoc />
    public async Task<long> RecordStartAsync(string jobName, string instance, string trigger, DateTimeOffset startedAt,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobName);
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(trigger);
        await using var insert = _dataSource.CreateCommand($"""
            INSERT INTO {_table} (job_name, instance, trigger_kind, started_at, outcome, rows_done, attempts)
            VALUES ($1, $2, $3, $4, 'running', 0, 0) RETURNING run_id
            """);
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = jobName });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = instance });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = trigger });
        insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = startedAt.ToUniversalTime() });
        return (long)(await PostgresBrokenConnections.Guard(_dataSource, insert.ExecuteScalarAsync(cancellationToken)).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async Task RecordEndAsync(long runId, DateTimeOffset endedAt, string outcome, long rows, int attempts, string? error,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(outcome);
        await using var update = _dataSource.CreateCommand(
            $"UPDATE {_table} SET ended_at = $1, outcome = $2, rows_done = $3, attempts = $4, error = $5 WHERE run_id = $6");
        update.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = endedAt.ToUniversalTime() });
        update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = outcome });
        update.Parameters.Add(new NpgsqlParameter<long> { TypedValue = rows });
        update.Parameters.Add(new NpgsqlParameter<int> { TypedValue = attempts });
        update.Parameters.Add(new NpgsqlParameter { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        update.Parameters.Add(new NpgsqlParameter<long> { TypedValue = runId });
        if (await PostgresBrokenConnections.Guard(_dataSource, update.ExecuteNonQueryAsync(cancellationToken)).ConfigureAwait(false) != 1)
        {
            throw new InvalidOperationException($"job run {runId} does not exist");
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<JobRun>> ListRunsAsync(string? jobName, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var select = _dataSource.CreateCommand(
            $"SELECT {Columns} FROM {_table} WHERE ($1::text IS NULL OR job_name = $1) ORDER BY run_id DESC LIMIT $2");
        select.Parameters.Add(new NpgsqlParameter { Value = (object?)jobName ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        select.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return await ReadAsync(select, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<JobRun>> LatestRunPerJobAsync(CancellationToken cancellationToken = default)
    {
        await using var select = _dataSource.CreateCommand($"""
            SELECT DISTINCT ON (job_name) {Columns} FROM {_table} ORDER BY job_name, run_id DESC
            """);
        return await ReadAsync(select, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private async Task<IReadOnlyList<JobRun>> ReadAsync(NpgsqlCommand select, CancellationToken cancellationToken)
    {
        var runs = new List<JobRun>();
        await using var r = await PostgresBrokenConnections.Guard(_dataSource, select.ExecuteReaderAsync(cancellationToken)).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            runs.Add(new JobRun(
                r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3),
                r.GetFieldValue<DateTimeOffset>(4),
                r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5),
                r.GetString(6), r.GetInt64(7), r.GetInt32(8), r.IsDBNull(9) ? null : r.GetString(9)));
        }

        return runs;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}

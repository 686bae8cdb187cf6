namespace Lambda.SharedModel.Jobs;

/// <summary>
/// The history of scheduled job runs, kept in the view store's database (table <c>job_runs</c>) so
/// every process over that database (scheduler, serving, the CLI) reads the same history.
/// Implementations: SQLite and PostgreSQL; one contract test suite runs against both.
/// </summary>
public interface IJobHistoryStore : IAsyncDisposable
{
    /// <summary>Creates the table if missing. Safe to call from several processes.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>Records the start of a run (outcome <see cref="JobOutcomes.Running"/>) and returns its id.</summary>
    Task<long> RecordStartAsync(string jobName, string instance, string trigger, DateTimeOffset startedAt,
        CancellationToken cancellationToken = default);

    /// <summary>Records the end of run <paramref name="runId"/>.</summary>
    Task RecordEndAsync(long runId, DateTimeOffset endedAt, string outcome, long rows, int attempts, string? error,
        CancellationToken cancellationToken = default);

    /// <summary>The latest runs, newest first, of one job or (null) of every job.</summary>
    Task<IReadOnlyList<JobRun>> ListRunsAsync(string? jobName, int limit, CancellationToken cancellationToken = default);

    /// <summary>The latest run of every job that has run, ordered by job name.</summary>
    Task<IReadOnlyList<JobRun>> LatestRunPerJobAsync(CancellationToken cancellationToken = default);
}

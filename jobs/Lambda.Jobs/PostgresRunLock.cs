using Npgsql;

namespace Lambda.Jobs;

/// <summary>
/// The run lock of a clustered schedule: a PostgreSQL session advisory lock per job and schema, held on
/// a connection of its own for the whole run. It is never stolen from a slow run, and the server drops
/// it when the node holding it dies (its session ends), so the cluster never waits on a dead node.
/// </summary>
internal sealed class PostgresRunLock(string connectionString, string schema) : IRunLock
{
    // Unpooled: closing the connection ends the session, so a lock can never stay behind in a pooled one.
    private readonly string _unpooled = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

    public async Task<IAsyncDisposable> AcquireAsync(string job, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_unpooled);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var take = new NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended($1, 0))", connection);
            take.Parameters.AddWithValue(Key(job));
            // No command timeout: the wait lasts as long as the run ahead of it.
            take.CommandTimeout = 0;
            await take.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return new Held(connection, Key(job));
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private string Key(string job) => $"lambda-job:{schema}:{job}";

    private sealed class Held(NpgsqlConnection connection, string key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended($1, 0))", connection);
                release.Parameters.AddWithValue(key);
                await release.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
            finally
            {
                // Ends the session, which releases the lock even if the unlock above failed.
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}

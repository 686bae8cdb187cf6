using Npgsql;

namespace Lambda.Store.Postgres;

/// <summary>Creates a store's tables safely when several processes start at once.</summary>
internal static class PostgresSchemaCreator
{
    /// <summary>
    /// Runs <paramref name="ddl"/> (CREATE ... IF NOT EXISTS statements) in one transaction. Such
    /// statements still race with a concurrent creator (a unique violation on the catalog), so the
    /// transaction first takes the advisory lock named <paramref name="lockName"/> and creators take turns.
    /// </summary>
    public static async Task CreateAsync(NpgsqlDataSource dataSource, string lockName, string ddl, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var guard = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext($1))", connection, transaction))
        {
            guard.Parameters.Add(new NpgsqlParameter<string> { TypedValue = lockName });
            await guard.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var command = new NpgsqlCommand(ddl, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}

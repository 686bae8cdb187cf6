namespace Lambda.Store.Postgres;

public sealed partial class PostgresViewStore
{
    /// <inheritdoc />
    public async ValueTask<long> GetViewGenerationAsync(CancellationToken cancellationToken = default)
    {
        await using var command = Command(_sql.GetViewGeneration);
        return await PostgresBrokenConnections.Guard(_dataSource, command.ExecuteScalarAsync(cancellationToken)).ConfigureAwait(false) is long generation ? generation : 0L;
    }
}

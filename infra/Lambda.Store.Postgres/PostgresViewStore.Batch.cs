using Lambda.SharedModel.Views;
using Npgsql;
using NpgsqlTypes;

namespace Lambda.Store.Postgres;

public sealed partial class PostgresViewStore
{
    /// <inheritdoc />
    public async Task CreateBatchVersionAsync(BatchVersionInfo version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        await using var command = Command(_sql.InsertBatchVersion);
        Add(command, version.VersionId);
        Add(command, version.WatermarkMs);
        Add(command, version.CreatedAt.ToUniversalTime());
        Add(command, version.CoveredOffsetsJson);
        Add(command, version.RowCount);
        if (await PostgresBrokenConnections.Guard(_dataSource, command.ExecuteNonQueryAsync(cancellationToken)).ConfigureAwait(false) == 0)
        {
            throw new InvalidOperationException($"Batch version {version.VersionId} already exists.");
        }
    }

    /// <inheritdoc />
    public Task AppendBatchRowsAsync(long versionId, IReadOnlyCollection<BatchViewRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return InTransactionAsync(async (connection, transaction) =>
        {
            // FOR SHARE: appends may run side by side, but not beside the Ready mark or a delete.
            await RequireStateAsync(connection, transaction, _sql.LockBatchVersionShared, versionId,
                BatchVersionStates.Loading, cancellationToken).ConfigureAwait(false);
            if (rows.Count == 0)
            {
                return 0;
            }
            await using var import = await connection.BeginBinaryImportAsync(_sql.CopyBatchRows, cancellationToken)
                .ConfigureAwait(false);
            foreach (var row in rows)
            {
                await import.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(versionId, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(row.CampaignId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(row.Granularity, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(row.BucketStartMs, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await WriteCountsAsync(import, row.Counts, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(row.Uniques, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(row.UniquesSketch, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            }
            await import.CompleteAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task MarkBatchVersionReadyAsync(long versionId, long rowCount, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand(_sql.MarkBatchVersionReady, connection, transaction);
            Add(command, versionId);
            Add(command, rowCount);
            if (await PostgresBrokenConnections.Guard(_dataSource, command.ExecuteNonQueryAsync(cancellationToken)).ConfigureAwait(false) == 0)
            {
                // A retried call on a version already Ready with the same count is a no-op.
                var version = await GetVersionAsync(connection, transaction, _sql.GetBatchVersion, versionId,
                    cancellationToken).ConfigureAwait(false);
                if (version is null || version.State != BatchVersionStates.Ready || version.RowCount != rowCount)
                {
                    throw new InvalidOperationException(
                        $"Batch version {versionId} cannot be marked ready: it is {Describe(version)}.");
                }
            }
            return 0;
        }, cancellationToken);

    /// <inheritdoc />
    public Task SetCurrentBatchVersionAsync(long versionId, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            // FOR SHARE keeps a concurrent delete of this version waiting until the flip commits;
            // the delete then sees it current and refuses.
            await RequireStateAsync(connection, transaction, _sql.LockBatchVersionShared, versionId,
                BatchVersionStates.Ready, cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(_sql.SetCurrentBatchVersion, connection, transaction);
            Add(command, versionId);
            await PostgresBrokenConnections.Guard(_dataSource, command.ExecuteNonQueryAsync(cancellationToken)).ConfigureAwait(false);
            return 0;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<BatchVersionInfo?> GetCurrentBatchVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var command = Command(_sql.GetCurrentBatchVersion);
        return await ReadSingleAsync(command, PostgresRows.Version, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<BatchVersionInfo>> ListBatchVersionsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = Command(_sql.ListBatchVersions);
        return await ReadAllAsync(command, PostgresRows.Version, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task DeleteBatchVersionAsync(long versionId, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var version = await GetVersionAsync(connection, transaction, _sql.LockBatchVersionExclusive, versionId,
                cancellationToken).ConfigureAwait(false);
            if (version is null)
            {
                return 0;
            }
            await using (var current = new NpgsqlCommand(_sql.GetCurrentBatchVersion, connection, transaction))
            {
                var currentVersion = await ReadSingleAsync(current, PostgresRows.Version, cancellationToken).ConfigureAwait(false);
                if (currentVersion?.VersionId == versionId)
                {
                    throw new InvalidOperationException($"Batch version {versionId} is current and cannot be deleted.");
                }
            }
            foreach (var sql in (string[])[_sql.DeleteBatchRows, _sql.DeleteBatchVersion])
            {
                await using var delete = new NpgsqlCommand(sql, connection, transaction);
                Add(delete, versionId);
                await PostgresBrokenConnections.Guard(_dataSource, delete.ExecuteNonQueryAsync(cancellationToken)).ConfigureAwait(false);
            }
            return 0;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<BatchViewRow>> ReadBatchRowsAsync(long versionId, string campaignId, string granularity,
        long fromMs, long toMs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaignId);
        ArgumentNullException.ThrowIfNull(granularity);
        await using var command = Command(_sql.ReadBatchRows);
        Add(command, versionId);
        Add(command, campaignId);
        Add(command, granularity);
        Add(command, fromMs);
        Add(command, toMs);
        return await ReadAllAsync(command, r => PostgresRows.BatchRow(r, campaignId, granularity), cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteCountsAsync(NpgsqlBinaryImporter import, MetricCounts c, CancellationToken cancellationToken)
    {
        foreach (var value in (long[])[c.Impressions, c.Views, c.Clicks, c.SpendMicros, c.BotFiltered, c.Late, c.Unattributed, c.Duplicates])
        {
            await import.WriteAsync(value, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<BatchVersionInfo?> GetVersionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        string sql, long versionId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        Add(command, versionId);
        return await ReadSingleAsync(command, PostgresRows.Version, cancellationToken).ConfigureAwait(false);
    }

    private async Task RequireStateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string lockSql,
        long versionId, string state, CancellationToken cancellationToken)
    {
        var version = await GetVersionAsync(connection, transaction, lockSql, versionId, cancellationToken).ConfigureAwait(false);
        if (version?.State != state)
        {
            throw new InvalidOperationException($"Batch version {versionId} must be {state} but is {Describe(version)}.");
        }
    }

    private static string Describe(BatchVersionInfo? version) => version is null ? "missing" : version.State;
}

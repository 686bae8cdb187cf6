using System.Data;
using Lambda.SharedModel.Views;
using Npgsql;

namespace Lambda.Store.Postgres;

public sealed partial class PostgresViewStore
{
    /// <inheritdoc />
    public async Task<ViewSnapshot> ReadSnapshotAsync(string campaignId, string batchGranularity, long fromMs, long toMs,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaignId);
        ArgumentNullException.ThrowIfNull(batchGranularity);
        await using var connection = await PostgresBrokenConnections.Guard(_dataSource, _dataSource.OpenConnectionAsync(cancellationToken)).ConfigureAwait(false);
        // REPEATABLE READ takes one snapshot at the first query and keeps it for the transaction, so
        // the version, its rows and the speed rows agree even if a flip commits in between. Npgsql
        // sends the BEGIN with the batch below: the read is two round trips (batch, commit).
        await using var transaction = await connection
            .BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SET TRANSACTION READ ONLY"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(_sql.GetCurrentBatchVersion));
        var batchRows = new NpgsqlBatchCommand(_sql.ReadCurrentBatchRows);
        batchRows.Parameters.Add(new NpgsqlParameter<string> { TypedValue = campaignId });
        batchRows.Parameters.Add(new NpgsqlParameter<string> { TypedValue = batchGranularity });
        batchRows.Parameters.Add(new NpgsqlParameter<long> { TypedValue = fromMs });
        batchRows.Parameters.Add(new NpgsqlParameter<long> { TypedValue = toMs });
        batch.BatchCommands.Add(batchRows);
        var speedRows = new NpgsqlBatchCommand(_sql.ReadSpeedRows);
        speedRows.Parameters.Add(new NpgsqlParameter<string> { TypedValue = campaignId });
        speedRows.Parameters.Add(new NpgsqlParameter<long> { TypedValue = fromMs });
        speedRows.Parameters.Add(new NpgsqlParameter<long> { TypedValue = toMs });
        batch.BatchCommands.Add(speedRows);

        ViewSnapshot snapshot;
        await using (var reader = await PostgresBrokenConnections.Guard(_dataSource, batch.ExecuteReaderAsync(cancellationToken)).ConfigureAwait(false))
        {
            // SET returns no result set: the reader starts at the version query.
            var current = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? PostgresRows.Version(reader) : null;
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            var batchList = await ReadAllAsync(reader, r => PostgresRows.BatchRow(r, campaignId, batchGranularity), cancellationToken).ConfigureAwait(false);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            var speedList = await ReadAllAsync(reader, r => PostgresRows.SpeedRow(r, campaignId), cancellationToken).ConfigureAwait(false);
            snapshot = new ViewSnapshot(current, batchList, speedList);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return snapshot;
    }
}

using Lambda.SharedModel.Sketches;
using Lambda.SharedModel.Views;
using Microsoft.Data.Sqlite;

namespace Lambda.Store.Sqlite;

public sealed partial class SqliteViewStore
{
    // What a counters-only write stores for a row not written before: the sketch of no user.
    private static readonly byte[] EmptySketch = new HyperLogLog().ToBytes();

    /// <inheritdoc />
    public Task UpsertSpeedRowsAsync(IReadOnlyCollection<SpeedViewRow> rows, IReadOnlyDictionary<int, long>? ownerEpochs = null,
        CancellationToken cancellationToken = default) =>
        FencedUpsertAsync(rows, r => r.Partition, ownerEpochs, SqliteSql.UpsertSpeedRow, static (p, row) =>
        {
            p[0].Value = row.CampaignId;
            p[1].Value = row.BucketStartMs;
            p[2].Value = row.Partition;
            SqliteRows.BindCounts(p, 3, row.Counts);
            p[11].Value = row.UniquesSketch;
            p[12].Value = row.Final ? 1L : 0L;
        }, cancellationToken);

    /// <inheritdoc />
    public Task UpsertSpeedCountsAsync(IReadOnlyCollection<SpeedCountsRow> rows, IReadOnlyDictionary<int, long>? ownerEpochs = null,
        CancellationToken cancellationToken = default) =>
        // The statement keeps a stored row's sketch; a new row gets the empty sketch (parameter 11).
        FencedUpsertAsync(rows, r => r.Partition, ownerEpochs, SqliteSql.UpsertSpeedCounts, static (p, row) =>
        {
            p[0].Value = row.CampaignId;
            p[1].Value = row.BucketStartMs;
            p[2].Value = row.Partition;
            SqliteRows.BindCounts(p, 3, row.Counts);
            p[11].Value = EmptySketch;
            p[12].Value = row.Final ? 1L : 0L;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<SpeedViewRow>> ReadSpeedRowsAsync(string campaignId, long fromMs, long toMs,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaignId);
        return Task.FromResult<IReadOnlyList<SpeedViewRow>>(
            Read(snapshot: false, (session, _) => ReadSpeedRows(session, null, campaignId, fromMs, toMs), cancellationToken));
    }

    /// <inheritdoc />
    public Task<long?> GetOldestSpeedBucketAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(Read(snapshot: false, (session, _) =>
            session.Command(SqliteSql.OldestSpeedBucket, null).ExecuteScalar() is long ms ? ms : (long?)null,
            cancellationToken));

    /// <inheritdoc />
    public Task<long> DeleteSpeedRowsBeforeAsync(long bucketStartMs, CancellationToken cancellationToken = default) =>
        WriteAsync((session, transaction) =>
        {
            var command = session.Command(SqliteSql.DeleteSpeedRowsBefore, transaction);
            command.Parameters[0].Value = bucketStartMs;
            var deleted = (long)command.ExecuteNonQuery();
            BumpGeneration(session, transaction);
            return deleted;
        }, cancellationToken);

    /// <inheritdoc />
    public Task UpsertPartitionStatusAsync(IReadOnlyCollection<SpeedPartitionStatus> statuses,
        IReadOnlyDictionary<int, long>? ownerEpochs = null, CancellationToken cancellationToken = default) =>
        FencedUpsertAsync(statuses, r => r.Partition, ownerEpochs, SqliteSql.UpsertPartitionStatus, static (p, s) =>
        {
            p[0].Value = s.Partition;
            p[1].Value = s.Owner;
            p[2].Value = s.WatermarkMs;
            p[3].Value = s.Lag;
            p[4].Value = s.EventsPerSecond;
            p[5].Value = s.Processed;
            p[6].Value = s.BotFiltered;
            p[7].Value = s.Late;
            p[8].Value = s.Unattributed;
            p[9].Value = s.Duplicates;
            p[10].Value = s.DeadLettered;
            p[11].Value = SqliteRows.ToUnixMicros(s.UpdatedAt);
            p[12].Value = s.OwnerMismatched;
            p[13].Value = s.FutureDated;
        }, cancellationToken);

    /// <summary>
    /// The one write path of speed rows, counters and statuses: in one transaction, the owner epochs are
    /// checked (a stale one changes nothing), the statement runs once per row, and the view generation is bumped.
    /// </summary>
    private Task FencedUpsertAsync<T>(IReadOnlyCollection<T> rows, Func<T, int> partitionOf, IReadOnlyDictionary<int, long>? ownerEpochs,
        SqliteStatement statement, Action<SqliteParameterCollection, T> bind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (!OwnerEpochs.HasRowsToWrite(rows, partitionOf, ownerEpochs))
        {
            return Task.CompletedTask;
        }

        return WriteAsync((session, transaction) =>
        {
            CheckOwnerEpochs(session, transaction, ownerEpochs);
            var command = session.Command(statement, transaction);
            foreach (var row in rows)
            {
                bind(command.Parameters, row);
                command.ExecuteNonQuery();
            }
            BumpGeneration(session, transaction);
            return 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SpeedPartitionStatus>> ListPartitionStatusAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<SpeedPartitionStatus>>(Read(snapshot: false,
            (session, _) => ReadAll(session.Command(SqliteSql.ListPartitionStatus, null), SqliteRows.Status),
            cancellationToken));

    private static List<SpeedViewRow> ReadSpeedRows(SqliteSession session, Microsoft.Data.Sqlite.SqliteTransaction? transaction,
        string campaignId, long fromMs, long toMs)
    {
        var command = session.Command(SqliteSql.ReadSpeedRows, transaction);
        command.Parameters[0].Value = campaignId;
        command.Parameters[1].Value = fromMs;
        command.Parameters[2].Value = toMs;
        return ReadAll(command, r => SqliteRows.SpeedRow(r, campaignId));
    }
}

using Lambda.SharedModel.Views;

namespace Lambda.Store.Sqlite;

public sealed partial class SqliteViewStore
{
    /// <inheritdoc />
    public Task<ViewSnapshot> ReadSnapshotAsync(string campaignId, string batchGranularity, long fromMs, long toMs,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaignId);
        ArgumentNullException.ThrowIfNull(batchGranularity);
        return Task.FromResult(Read(snapshot: true, (session, transaction) =>
        {
            // All three reads run in one deferred transaction: WAL pins the snapshot at the first
            // read, so a flip committed meanwhile is invisible to the later two.
            var current = ReadSingle(session.Command(SqliteSql.GetCurrentBatchVersion, transaction), SqliteRows.Version);
            IReadOnlyList<BatchViewRow> batchRows = current is null
                ? []
                : ReadBatchRows(session, transaction, current.VersionId, campaignId, batchGranularity, fromMs, toMs);
            var speedRows = ReadSpeedRows(session, transaction, campaignId, fromMs, toMs);
            return new ViewSnapshot(current, batchRows, speedRows);
        }, cancellationToken));
    }
}

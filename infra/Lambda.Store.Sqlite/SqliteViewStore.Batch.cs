using Lambda.SharedModel.Views;
using Microsoft.Data.Sqlite;

namespace Lambda.Store.Sqlite;

public sealed partial class SqliteViewStore
{
    /// <inheritdoc />
    public Task CreateBatchVersionAsync(BatchVersionInfo version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        return WriteAsync((session, transaction) =>
        {
            var command = session.Command(SqliteSql.InsertBatchVersion, transaction);
            command.Parameters[0].Value = version.VersionId;
            command.Parameters[1].Value = version.WatermarkMs;
            command.Parameters[2].Value = SqliteRows.ToUnixMicros(version.CreatedAt);
            command.Parameters[3].Value = version.CoveredOffsetsJson;
            command.Parameters[4].Value = version.RowCount;
            if (command.ExecuteNonQuery() == 0)
            {
                throw new InvalidOperationException($"Batch version {version.VersionId} already exists.");
            }
            return 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task AppendBatchRowsAsync(long versionId, IReadOnlyCollection<BatchViewRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return WriteAsync((session, transaction) =>
        {
            RequireState(session, transaction, versionId, BatchVersionStates.Loading);
            var command = session.Command(SqliteSql.InsertBatchRow, transaction);
            var p = command.Parameters;
            p[0].Value = versionId;
            foreach (var row in rows)
            {
                p[1].Value = row.CampaignId;
                p[2].Value = row.Granularity;
                p[3].Value = row.BucketStartMs;
                SqliteRows.BindCounts(p, 4, row.Counts);
                p[12].Value = row.Uniques;
                p[13].Value = row.UniquesSketch;
                command.ExecuteNonQuery();
            }
            return 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task MarkBatchVersionReadyAsync(long versionId, long rowCount, CancellationToken cancellationToken = default) =>
        WriteAsync((session, transaction) =>
        {
            var command = session.Command(SqliteSql.MarkBatchVersionReady, transaction);
            command.Parameters[0].Value = versionId;
            command.Parameters[1].Value = rowCount;
            if (command.ExecuteNonQuery() == 0)
            {
                // A retried call on a version already Ready with the same count is a no-op.
                var version = GetVersion(session, transaction, versionId);
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
        WriteAsync((session, transaction) =>
        {
            RequireState(session, transaction, versionId, BatchVersionStates.Ready);
            var command = session.Command(SqliteSql.SetCurrentBatchVersion, transaction);
            command.Parameters[0].Value = versionId;
            command.ExecuteNonQuery();
            BumpGeneration(session, transaction);
            return 0;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<BatchVersionInfo?> GetCurrentBatchVersionAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(Read(snapshot: false,
            (session, _) => ReadSingle(session.Command(SqliteSql.GetCurrentBatchVersion, null), SqliteRows.Version),
            cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyList<BatchVersionInfo>> ListBatchVersionsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<BatchVersionInfo>>(Read(snapshot: false,
            (session, _) => ReadAll(session.Command(SqliteSql.ListBatchVersions, null), SqliteRows.Version),
            cancellationToken));

    /// <inheritdoc />
    public Task DeleteBatchVersionAsync(long versionId, CancellationToken cancellationToken = default) =>
        WriteAsync((session, transaction) =>
        {
            var current = ReadSingle(session.Command(SqliteSql.GetCurrentBatchVersion, transaction), SqliteRows.Version);
            if (current?.VersionId == versionId)
            {
                throw new InvalidOperationException($"Batch version {versionId} is current and cannot be deleted.");
            }
            var rows = session.Command(SqliteSql.DeleteBatchRows, transaction);
            rows.Parameters[0].Value = versionId;
            rows.ExecuteNonQuery();
            var version = session.Command(SqliteSql.DeleteBatchVersion, transaction);
            version.Parameters[0].Value = versionId;
            version.ExecuteNonQuery();
            return 0;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<BatchViewRow>> ReadBatchRowsAsync(long versionId, string campaignId, string granularity,
        long fromMs, long toMs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaignId);
        ArgumentNullException.ThrowIfNull(granularity);
        return Task.FromResult<IReadOnlyList<BatchViewRow>>(Read(snapshot: false,
            (session, _) => ReadBatchRows(session, null, versionId, campaignId, granularity, fromMs, toMs),
            cancellationToken));
    }

    private static List<BatchViewRow> ReadBatchRows(SqliteSession session, SqliteTransaction? transaction, long versionId,
        string campaignId, string granularity, long fromMs, long toMs)
    {
        var command = session.Command(SqliteSql.ReadBatchRows, transaction);
        var p = command.Parameters;
        p[0].Value = versionId;
        p[1].Value = campaignId;
        p[2].Value = granularity;
        p[3].Value = fromMs;
        p[4].Value = toMs;
        return ReadAll(command, r => SqliteRows.BatchRow(r, campaignId, granularity));
    }

    private static BatchVersionInfo? GetVersion(SqliteSession session, SqliteTransaction transaction, long versionId)
    {
        var command = session.Command(SqliteSql.GetBatchVersion, transaction);
        command.Parameters[0].Value = versionId;
        return ReadSingle(command, SqliteRows.Version);
    }

    private static void RequireState(SqliteSession session, SqliteTransaction transaction, long versionId, string state)
    {
        var version = GetVersion(session, transaction, versionId);
        if (version?.State != state)
        {
            throw new InvalidOperationException($"Batch version {versionId} must be {state} but is {Describe(version)}.");
        }
    }

    private static string Describe(BatchVersionInfo? version) => version is null ? "missing" : version.State;
}

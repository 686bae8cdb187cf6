using Lambda.SharedModel.Views;
using Microsoft.Data.Sqlite;

namespace Lambda.Store.Sqlite;

public sealed partial class SqliteViewStore
{
    /// <inheritdoc />
    public Task<long> ClaimSpeedPartitionAsync(int partition, string owner, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentNullException.ThrowIfNull(owner);
        return WriteAsync((session, transaction) =>
        {
            var claim = session.Command(SqliteSql.ClaimSpeedPartition, transaction);
            claim.Parameters[0].Value = partition;
            claim.Parameters[1].Value = owner;
            claim.Parameters[2].Value = SqliteRows.ToUnixMicros(_time.GetUtcNow());
            claim.ExecuteNonQuery();
            return CurrentEpoch(session, transaction, partition);
        }, cancellationToken);
    }

    /// <summary>
    /// Throws <see cref="PartitionFencedException"/> if a partition's epoch is not the current one.
    /// Runs inside the write transaction (BEGIN IMMEDIATE holds the write lock, so no claim can come
    /// between this check and the commit): one indexed lookup per partition, not per row.
    /// </summary>
    private static void CheckOwnerEpochs(SqliteSession session, SqliteTransaction transaction, IReadOnlyDictionary<int, long>? ownerEpochs)
    {
        if (ownerEpochs is null)
        {
            return;
        }

        foreach (var (partition, epoch) in ownerEpochs)
        {
            var current = CurrentEpoch(session, transaction, partition);
            if (current != epoch)
            {
                throw new PartitionFencedException(partition, epoch, current);
            }
        }
    }

    private static long CurrentEpoch(SqliteSession session, SqliteTransaction transaction, int partition)
    {
        var read = session.Command(SqliteSql.SpeedPartitionEpoch, transaction);
        read.Parameters[0].Value = partition;
        return read.ExecuteScalar() is long epoch ? epoch : 0;
    }
}

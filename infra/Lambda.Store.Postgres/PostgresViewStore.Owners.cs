using Lambda.SharedModel.Views;
using Npgsql;

namespace Lambda.Store.Postgres;

public sealed partial class PostgresViewStore
{
    /// <inheritdoc />
    public async Task<long> ClaimSpeedPartitionAsync(int partition, string owner, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentNullException.ThrowIfNull(owner);
        await using var command = Command(_sql.ClaimSpeedPartition);
        Add(command, partition);
        Add(command, owner);
        return (long)(await PostgresBrokenConnections.Guard(_dataSource, command.ExecuteScalarAsync(cancellationToken)).ConfigureAwait(false))!;
    }

    /// <summary>The fence of a speed write: partitions and their epochs as two arrays (empty when unfenced).</summary>
    private static void AddOwnerEpochs(NpgsqlCommand command, IReadOnlyDictionary<int, long>? ownerEpochs)
    {
        Add(command, ownerEpochs?.Keys.ToArray() ?? []);
        Add(command, ownerEpochs?.Values.ToArray() ?? []);
    }

    /// <summary>
    /// A speed write that wrote nothing was refused by its fence (an upsert of at least one row always
    /// writes): finds the partition whose epoch has moved on, off the hot path.
    /// </summary>
    private async Task ThrowFencedAsync(IReadOnlyDictionary<int, long>? ownerEpochs, CancellationToken cancellationToken)
    {
        if (ownerEpochs is null)
        {
            throw new InvalidOperationException("an unfenced speed write wrote no row");
        }

        await using var command = Command(_sql.SpeedPartitionEpochs);
        Add(command, ownerEpochs.Keys.ToArray());
        var current = (await ReadAllAsync(command, r => (Partition: r.GetInt32(0), Epoch: r.GetInt64(1)), cancellationToken).ConfigureAwait(false))
            .ToDictionary(e => e.Partition, e => e.Epoch);
        foreach (var (partition, epoch) in ownerEpochs.OrderBy(e => e.Key))
        {
            var now = current.GetValueOrDefault(partition);
            if (now != epoch)
            {
                throw new PartitionFencedException(partition, epoch, now);
            }
        }

        throw new InvalidOperationException("a fenced speed write wrote no row, yet every owner epoch is current");
    }

    /// <summary>
    /// Runs a write whose statement carries the owner-epoch check (its last parameter): a write that the
    /// check refused changes no row, and that is reported as <see cref="PartitionFencedException"/>.
    /// </summary>
    private async Task ExecuteFencedAsync(NpgsqlCommand command, IReadOnlyDictionary<int, long>? ownerEpochs, CancellationToken cancellationToken)
    {
        AddOwnerEpochs(command, ownerEpochs);
        var written = await PostgresBrokenConnections.Guard(_dataSource, command.ExecuteNonQueryAsync(cancellationToken)).ConfigureAwait(false);
        if (written == 0)
        {
            await ThrowFencedAsync(ownerEpochs, cancellationToken).ConfigureAwait(false);
        }
    }
}

using Lambda.SharedModel.Sketches;
using Lambda.SharedModel.Views;
using Npgsql;

namespace Lambda.Store.Postgres;

public sealed partial class PostgresViewStore
{
    // What a counters-only write stores for a row not written before: the sketch of no user.
    private static readonly byte[] EmptySketch = new HyperLogLog().ToBytes();

    /// <inheritdoc />
    public async Task UpsertSpeedRowsAsync(IReadOnlyCollection<SpeedViewRow> rows, IReadOnlyDictionary<int, long>? ownerEpochs = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (!OwnerEpochs.HasRowsToWrite(rows, r => r.Partition, ownerEpochs))
        {
            return;
        }

        // One statement over arrays (unnest) is one round trip and one implicit transaction; it beats
        // COPY into a temp table plus a merge, which costs four round trips for the same rows.
        var unique = LastOfEachKey(rows, r => (r.CampaignId, r.BucketStartMs, r.Partition));
        await using var command = Command(_sql.UpsertSpeedRows);
        AddKeysAndCounts(command, unique, r => (r.CampaignId, r.BucketStartMs, r.Partition, r.Counts));
        Add(command, unique.Select(r => r.UniquesSketch).ToArray());
        Add(command, unique.Select(r => r.Final).ToArray());
        await ExecuteFencedAsync(command, ownerEpochs, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task UpsertSpeedCountsAsync(IReadOnlyCollection<SpeedCountsRow> rows, IReadOnlyDictionary<int, long>? ownerEpochs = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (!OwnerEpochs.HasRowsToWrite(rows, r => r.Partition, ownerEpochs))
        {
            return;
        }

        var unique = LastOfEachKey(rows, r => (r.CampaignId, r.BucketStartMs, r.Partition));
        await using var command = Command(_sql.UpsertSpeedCounts);
        AddKeysAndCounts(command, unique, r => (r.CampaignId, r.BucketStartMs, r.Partition, r.Counts));
        Add(command, unique.Select(r => r.Final).ToArray());
        Add(command, EmptySketch);
        await ExecuteFencedAsync(command, ownerEpochs, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SpeedViewRow>> ReadSpeedRowsAsync(string campaignId, long fromMs, long toMs,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaignId);
        await using var command = Command(_sql.ReadSpeedRows);
        Add(command, campaignId);
        Add(command, fromMs);
        Add(command, toMs);
        return await ReadAllAsync(command, r => PostgresRows.SpeedRow(r, campaignId), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<long?> GetOldestSpeedBucketAsync(CancellationToken cancellationToken = default)
    {
        await using var command = Command(_sql.OldestSpeedBucket);
        var value = await PostgresBrokenConnections.Guard(_dataSource, command.ExecuteScalarAsync(cancellationToken)).ConfigureAwait(false);
        return value is long ms ? ms : null;
    }

    /// <inheritdoc />
    public async Task<long> DeleteSpeedRowsBeforeAsync(long bucketStartMs, CancellationToken cancellationToken = default)
    {
        await using var command = Command(_sql.DeleteSpeedRowsBefore);
        Add(command, bucketStartMs);
        return await PostgresBrokenConnections.Guard(_dataSource, command.ExecuteNonQueryAsync(cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task UpsertPartitionStatusAsync(IReadOnlyCollection<SpeedPartitionStatus> statuses,
        IReadOnlyDictionary<int, long>? ownerEpochs = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        if (!OwnerEpochs.HasRowsToWrite(statuses, r => r.Partition, ownerEpochs))
        {
            return;
        }

        var latest = new SortedDictionary<int, SpeedPartitionStatus>();
        foreach (var status in statuses)
        {
            latest[status.Partition] = status;
        }
        var all = latest.Values.ToArray();
        await using var command = Command(_sql.UpsertPartitionStatus);
        Add(command, all.Select(s => s.Partition).ToArray());
        Add(command, all.Select(s => s.Owner).ToArray());
        Add(command, all.Select(s => s.WatermarkMs).ToArray());
        Add(command, all.Select(s => s.Lag).ToArray());
        Add(command, all.Select(s => s.EventsPerSecond).ToArray());
        Add(command, all.Select(s => s.Processed).ToArray());
        Add(command, all.Select(s => s.BotFiltered).ToArray());
        Add(command, all.Select(s => s.Late).ToArray());
        Add(command, all.Select(s => s.Unattributed).ToArray());
        Add(command, all.Select(s => s.Duplicates).ToArray());
        Add(command, all.Select(s => s.DeadLettered).ToArray());
        Add(command, all.Select(s => s.UpdatedAt.ToUniversalTime()).ToArray());
        Add(command, all.Select(s => s.OwnerMismatched).ToArray());
        Add(command, all.Select(s => s.FutureDated).ToArray());
        await ExecuteFencedAsync(command, ownerEpochs, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SpeedPartitionStatus>> ListPartitionStatusAsync(CancellationToken cancellationToken = default)
    {
        await using var command = Command(_sql.ListPartitionStatus);
        return await ReadAllAsync(command, PostgresRows.Status, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The rows with duplicate keys collapsed to the last one, as row-by-row upserts would leave
    /// them: one INSERT ... ON CONFLICT cannot update the same row twice.
    /// </summary>
    private static List<T> LastOfEachKey<T>(IReadOnlyCollection<T> rows, Func<T, (string, long, int)> keyOf)
    {
        var index = new Dictionary<(string, long, int), int>(rows.Count);
        var unique = new List<T>(rows.Count);
        foreach (var row in rows)
        {
            var key = keyOf(row);
            if (index.TryGetValue(key, out var at))
            {
                unique[at] = row;
            }
            else
            {
                index.Add(key, unique.Count);
                unique.Add(row);
            }
        }
        return unique;
    }

    /// <summary>Adds the key and counter arrays, the first eleven parameters of both speed upserts.</summary>
    private static void AddKeysAndCounts<T>(NpgsqlCommand command, List<T> rows, Func<T, (string Campaign, long Bucket, int Partition, MetricCounts Counts)> columns)
    {
        var n = rows.Count;
        var campaign = new string[n];
        var bucket = new long[n];
        var partition = new int[n];
        var counts = new long[8][];
        for (var c = 0; c < counts.Length; c++)
        {
            counts[c] = new long[n];
        }
        for (var i = 0; i < n; i++)
        {
            var row = columns(rows[i]);
            campaign[i] = row.Campaign;
            bucket[i] = row.Bucket;
            partition[i] = row.Partition;
            counts[0][i] = row.Counts.Impressions;
            counts[1][i] = row.Counts.Views;
            counts[2][i] = row.Counts.Clicks;
            counts[3][i] = row.Counts.SpendMicros;
            counts[4][i] = row.Counts.BotFiltered;
            counts[5][i] = row.Counts.Late;
            counts[6][i] = row.Counts.Unattributed;
            counts[7][i] = row.Counts.Duplicates;
        }
        Add(command, campaign);
        Add(command, bucket);
        Add(command, partition);
        foreach (var column in counts)
        {
            Add(command, column);
        }
    }
}

using Lambda.DuckDb;
using Lambda.SharedModel.Time;
using Lambda.SharedModel.Views;

namespace Lambda.Batch.Recompute;

/// <summary>
/// Loads a version's Parquet files into the view store, a date and granularity at a time, in chunks.
/// Refuses rows with a negative counter (<see cref="MetricCounts.HasNegative"/>): the caller then drops
/// the half-loaded version, so the current one stays.
/// </summary>
internal static class BatchViewLoader
{

    /// <summary>Appends every row; returns the row count, or a problem if a row is invalid.</summary>
    public static async Task<(long Rows, string? Problem)> LoadAsync(IViewStore store, DuckDbConnection connection, string versionDirectory,
        long versionId, IReadOnlyList<DateOnly> dates, int chunkRows, CancellationToken cancellationToken)
    {
        long total = 0;
        var chunk = new List<BatchViewRow>(chunkRows);
        foreach (var date in dates)
        {
            var from = BatchWatermark.StartOf(date);
            foreach (var granularity in BatchViewFiles.Granularities)
            {
                foreach (var row in BatchViewFiles.ReadRows(connection, versionDirectory, granularity, from, from + Granularities.DayMs))
                {
                    if (row.Counts.HasNegative || row.Uniques < 0)
                    {
                        return (total, $"row {row.CampaignId} {granularity} {row.BucketStartMs} has a negative counter");
                    }

                    chunk.Add(row);
                    if (chunk.Count == chunkRows)
                    {
                        await store.AppendBatchRowsAsync(versionId, chunk, cancellationToken).ConfigureAwait(false);
                        total += chunk.Count;
                        chunk.Clear();
                    }
                }
            }
        }

        if (chunk.Count > 0)
        {
            await store.AppendBatchRowsAsync(versionId, chunk, cancellationToken).ConfigureAwait(false);
            total += chunk.Count;
        }

        return (total, null);
    }
}

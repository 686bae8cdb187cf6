namespace Lambda.SharedModel.Views;

/// <summary>The argument rule every view store applies to a write fenced by owner epochs (see <see cref="IViewStore"/>).</summary>
public static class OwnerEpochs
{
    /// <summary>
    /// False when there is nothing to write. Throws <see cref="ArgumentException"/> when a fenced write
    /// (<paramref name="ownerEpochs"/> not null) has a row of a partition it names no epoch for.
    /// </summary>
    public static bool HasRowsToWrite<TRow>(IReadOnlyCollection<TRow> rows, Func<TRow, int> partitionOf, IReadOnlyDictionary<int, long>? ownerEpochs)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(partitionOf);
        if (ownerEpochs is not null)
        {
            foreach (var row in rows)
            {
                var partition = partitionOf(row);
                if (!ownerEpochs.ContainsKey(partition))
                {
                    throw new ArgumentException($"partition {partition} is written but has no owner epoch", nameof(ownerEpochs));
                }
            }
        }

        return rows.Count > 0;
    }
}

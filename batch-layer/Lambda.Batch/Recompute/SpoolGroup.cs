namespace Lambda.Batch.Recompute;

/// <summary>
/// The sums of the spooled rows of one granularity, campaign and day (of the bucket): what
/// <see cref="BatchViewValidator"/> checks. Counters in the spool's order: impressions, views, clicks,
/// spend, bots, duplicates, uniques.
/// </summary>
internal struct SpoolGroup
{
    public int Granularity;
    public int Cid;
    public long DayMs;
    public long Impressions;
    public long Views;
    public long Clicks;
    public long Spend;
    public long Bots;
    public long Duplicates;
    public long MaxUniques;
    public long Rows;

    /// <summary>Rows with a negative counter.</summary>
    public long Negative;

    /// <summary>Rows whose bucket is at or after the watermark.</summary>
    public long Beyond;

    /// <summary>Adds a row: <paramref name="row"/> is the bucket start, then the counters.</summary>
    public void Add(ReadOnlySpan<long> row, long watermarkMs)
    {
        Impressions += row[1];
        Views += row[2];
        Clicks += row[3];
        Spend += row[4];
        Bots += row[5];
        Duplicates += row[6];
        MaxUniques = Rows == 0 ? row[7] : Math.Max(MaxUniques, row[7]);
        Rows++;
        if (row[1..].ContainsAnyInRange(long.MinValue, -1))
        {
            Negative++;
        }

        if (row[0] >= watermarkMs)
        {
            Beyond++;
        }
    }
}

namespace Lambda.Batch.Master;

/// <summary>An inclusive range of UTC event dates, [<see cref="From"/>, <see cref="To"/>].</summary>
public readonly record struct EventDateRange
{
    public EventDateRange(DateOnly from, DateOnly to)
    {
        if (to < from)
        {
            throw new ArgumentException($"the range ends ({to:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd})", nameof(to));
        }

        From = from;
        To = to;
    }

    public DateOnly From { get; }
    public DateOnly To { get; }

    public bool Contains(DateOnly date) => date >= From && date <= To;

    /// <summary>The first event time after the range, Unix epoch milliseconds.</summary>
    public long EndMs => MasterDataset.DateStartMs(To.AddDays(1));

    /// <summary>The first event time of the range, Unix epoch milliseconds.</summary>
    public long StartMs => MasterDataset.DateStartMs(From);

    public override string ToString() => $"{From:yyyy-MM-dd}..{To:yyyy-MM-dd}";
}

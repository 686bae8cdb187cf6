namespace Lambda.SharedModel.Views;

/// <summary>
/// The counters of one (campaign, bucket): the metrics of ARCHITECTURE.md plus the counters that
/// explain where the speed layer departs from the exact answer. Unique users travel separately as a
/// HyperLogLog sketch (and, for batch rows, an exact count), because they do not add up.
/// </summary>
public readonly record struct MetricCounts(
    long Impressions,
    long Views,
    long Clicks,
    long SpendMicros,
    long BotFiltered,
    long Late,
    long Unattributed,
    long Duplicates)
{
    public static MetricCounts operator +(MetricCounts a, MetricCounts b) => new(
        a.Impressions + b.Impressions,
        a.Views + b.Views,
        a.Clicks + b.Clicks,
        a.SpendMicros + b.SpendMicros,
        a.BotFiltered + b.BotFiltered,
        a.Late + b.Late,
        a.Unattributed + b.Unattributed,
        a.Duplicates + b.Duplicates);

    /// <summary>True if any counter is negative: a validation failure for any view.</summary>
    public bool HasNegative =>
        Impressions < 0 || Views < 0 || Clicks < 0 || SpendMicros < 0 ||
        BotFiltered < 0 || Late < 0 || Unattributed < 0 || Duplicates < 0;
}

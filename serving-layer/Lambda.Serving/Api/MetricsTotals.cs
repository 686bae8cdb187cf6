namespace Lambda.Serving.Api;

/// <summary>
/// The sums over every non-missing bucket of an answer. Uniques are the distinct users of the whole
/// range (a sketch union, exact only when the range is one batch bucket).
/// </summary>
/// <param name="Approximate">True if any bucket is from speed or missing, or the uniques are an estimate.</param>
public sealed record MetricsTotals(
    long Impressions,
    long Views,
    long Clicks,
    long SpendMicros,
    double Ctr,
    long Uniques,
    long UniquesError,
    long BotFiltered,
    long Late,
    long Unattributed,
    long Duplicates,
    bool Approximate);

namespace Lambda.Batch.Drift;

/// <summary>
/// How far the speed layer's rows of one campaign and UTC day were from the exact batch rows: speed rows
/// summed over partitions and minutes, sketches unioned.
/// </summary>
/// <param name="SpeedRows">Speed rows (minute × partition) found; 0 when the speed layer has none (never seen, or already deleted).</param>
/// <param name="NonFinalSpeedRows">Of those, rows whose window the speed layer had not closed yet.</param>
/// <param name="MinutesDiffering">Minutes whose impressions, views, clicks or spend differ between the layers.</param>
/// <param name="SpeedUniquesEstimate">The HyperLogLog estimate of the day's speed sketches unioned.</param>
/// <param name="ExactUniques">The batch layer's exact distinct users of the day.</param>
/// <param name="UniquesRelativeError">(estimate - exact) / exact; 0 when both are 0.</param>
/// <param name="SpeedLate">Events the speed layer counted late (not applied) in this campaign-day.</param>
/// <param name="SpeedDuplicates">Duplicates the speed layer dropped; compare <paramref name="BatchDuplicates"/>.</param>
public sealed record CampaignDayDrift(
    string CampaignId,
    DateOnly Date,
    int SpeedRows,
    int NonFinalSpeedRows,
    int MinutesDiffering,
    MetricDrift Impressions,
    MetricDrift Views,
    MetricDrift Clicks,
    MetricDrift SpendMicros,
    long SpeedUniquesEstimate,
    long ExactUniques,
    double UniquesRelativeError,
    long SpeedLate,
    long SpeedDuplicates,
    long BatchDuplicates,
    long SpeedBotFiltered,
    long BatchBotFiltered);

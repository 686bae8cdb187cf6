namespace Lambda.Batch.Recompute;

/// <summary>
/// One event date's totals straight from the master records, and what could not be attributed.
/// The view's rows of that date must add up to these (see <see cref="BatchViewValidator"/>).
/// </summary>
/// <param name="Served">Distinct non-bot served event ids.</param>
/// <param name="Views">Distinct non-bot view event ids (attributed or not).</param>
/// <param name="Clicks">Distinct non-bot click event ids (attributed or not).</param>
/// <param name="Bots">Bot records, every copy.</param>
/// <param name="Records">Every record of the date.</param>
/// <param name="UnattributedViews">Views (after bots and dedupe) of ads that no served record names.</param>
/// <param name="UnattributedClicks">Clicks of such ads.</param>
/// <param name="UnattributedBotFiltered">Bot views and clicks of such ads (in no campaign's bot_filtered).</param>
/// <param name="UnattributedDuplicates">Duplicate views and clicks of such ads.</param>
/// <param name="UnattributedAdIds">Those ads: a later served record naming one makes this date dirty again.</param>
public sealed record DayTotals(
    DateOnly Date,
    long Served,
    long Views,
    long Clicks,
    long Bots,
    long Records,
    long UnattributedViews,
    long UnattributedClicks,
    long UnattributedBotFiltered,
    long UnattributedDuplicates,
    IReadOnlyList<string> UnattributedAdIds);

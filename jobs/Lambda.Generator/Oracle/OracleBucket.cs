namespace Lambda.Generator.Oracle;

/// <summary>
/// Exact expected metrics of one (campaign, minute bucket of event time), after bot filtering and
/// dedupe, views and clicks attributed to their ad's campaign. The last four fields count the
/// imperfections the generator injected into this campaign-minute.
/// </summary>
/// <param name="Uniques">Distinct user_ids over the campaign-minute's impressions, views and clicks.</param>
/// <param name="BotFiltered">Bot records (duplicates of bot records included: bot filtering runs before dedupe).</param>
/// <param name="Duplicates">Second copies of non-bot records.</param>
/// <param name="Late">Non-bot, non-duplicate records sent <see cref="GeneratorOptions.Lateness"/> or more after their event time.</param>
/// <param name="ViewsBeforeServed">Non-bot, non-duplicate views and clicks sent before their impression's served record.</param>
public readonly record struct OracleBucket(
    string CampaignId,
    long BucketStartMs,
    long Impressions,
    long Views,
    long Clicks,
    long SpendMicros,
    int Uniques,
    long BotFiltered,
    long Duplicates,
    long Late,
    long ViewsBeforeServed);

namespace Lambda.Generator.Oracle;

/// <summary>Whole-run totals of the oracle, with the same semantics as <see cref="OracleBucket"/>.</summary>
/// <param name="Records">Every record emitted, bots and duplicates included.</param>
/// <param name="Unattributed">
/// Non-bot views and clicks whose ad has no non-bot served record in the stream yet (possible only at
/// the very start or when the stream is cut short); they are in no bucket until a served record announces the ad.
/// </param>
/// <param name="YsbPurchasesDropped">YSB purchase events drawn and dropped (not emitted).</param>
public readonly record struct OracleTotals(
    long Records,
    long Impressions,
    long Views,
    long Clicks,
    long SpendMicros,
    long BotFiltered,
    long Duplicates,
    long Late,
    long ViewsBeforeServed,
    long Unattributed,
    long YsbPurchasesDropped);

using Lambda.DuckDb;

namespace Lambda.Batch.Recompute;

/// <summary>
/// The SQL of the exact recompute. Nothing here comes from input: the only text spliced in is file
/// paths the batch layer lists itself, quoted with <see cref="DuckDbSql.Literal"/>; bot rules are rows
/// of tables, never SQL.
/// </summary>
internal static class ExactViewSql
{
    public const string Lowercase = "translate(user_agent, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')";

    /// <summary>
    /// The bot tables and <c>copied_rows</c>, the rows taken from the base version; the computed rows
    /// are read from <see cref="DayRowSpool"/> (<c>spool_rows(g)</c>, in the files' order, without the
    /// constant columns); <see cref="CreateFinalRows"/> shows all of them in the files' columns.
    /// </summary>
    public static readonly string CreateTables = $"""
        CREATE TEMP TABLE bot_ip (start_hi UBIGINT, start_lo UBIGINT, end_hi UBIGINT, end_lo UBIGINT);
        CREATE TEMP TABLE bot_ua (s VARCHAR);
        CREATE TEMP TABLE copied_rows ({BatchViewFiles.ColumnDefinitions});
        """;

    /// <summary>The computed rows of one granularity (number <paramref name="g"/>, <c>spool_rows(g)</c>) in the files' columns, in the files' order.</summary>
    public static string ComputedRows(int g) => $"""
        SELECT {DuckDbSql.Literal(BatchViewFiles.Granularities[g])} AS granularity, campaign_id, bucket_start_ms,
               impressions, views, clicks, spend_micros, bot_filtered, 0::BIGINT AS late, 0::BIGINT AS unattributed,
               duplicates, uniques, uniques_sketch
        FROM {DayRowSpool.FunctionName}({g})
        """;

    /// <summary>Every row of the version in the files' columns: the computed ones and the copied ones.</summary>
    public static readonly string CreateFinalRows = $"""
        CREATE OR REPLACE TEMP VIEW final_rows AS
        {ComputedRows(0)}
        UNION ALL
        {ComputedRows(1)}
        UNION ALL
        {ComputedRows(2)}
        UNION ALL
        SELECT * FROM copied_rows
        """;

    /// <summary>
    /// (ad, campaign, advertiser) triples of the served records with their first log position: one read of
    /// the served files, from which <see cref="FirstClaims"/> and <see cref="CreateAdMap"/> are taken.
    /// </summary>
    public static string CreateServedPairs(IReadOnlyList<MasterFile> servedFiles) => servedFiles.Count == 0
        ? "CREATE OR REPLACE TEMP TABLE served_pairs (ad_id VARCHAR, campaign_id VARCHAR, advertiser_id VARCHAR, first_position HUGEINT)"
        : $"""
            CREATE OR REPLACE TEMP TABLE served_pairs AS
            SELECT ad_id, campaign_id, advertiser_id, min(log_partition::HUGEINT * 18446744073709551616 + log_offset) AS first_position
            FROM {ReadParquet(servedFiles)}
            GROUP BY ad_id, campaign_id, advertiser_id
            """;

    /// <summary>
    /// Each campaign's claim as the batch layer would make it: the advertiser of its first served record
    /// by log position. The view store keeps the first claim it got (often the speed layer's), so these
    /// only decide campaigns the store has never seen (a backfill into a new store).
    /// </summary>
    public const string FirstClaims = """
        SELECT campaign_id, arg_min(advertiser_id, first_position) FROM served_pairs
        WHERE campaign_id IS NOT NULL AND advertiser_id IS NOT NULL
        GROUP BY campaign_id ORDER BY campaign_id
        """;

    /// <summary>The accepted owner pairs (<c>IViewStore.ReadCampaignOwnersAsync</c>), appended by the computation.</summary>
    public const string CreateCampaignOwners = "CREATE OR REPLACE TEMP TABLE campaign_owners (campaign_id VARCHAR, advertiser_id VARCHAR)";

    /// <summary>
    /// The ad→campaign map: the first served record of an ad by log position fixes its campaign (bots
    /// included, as in the speed layer); and the campaigns of all served records, numbered in
    /// campaign_id order (the rows' sort order). Only records naming an accepted owner of their campaign
    /// count (<c>owned</c>): the speed layer dead-letters the others before they teach it anything.
    /// </summary>
    public static readonly IReadOnlyList<string> CreateAdMap =
    [
        """
        CREATE OR REPLACE TEMP TABLE owned AS
        SELECT p.ad_id, p.campaign_id, p.first_position FROM served_pairs p
        JOIN campaign_owners o ON o.campaign_id = p.campaign_id AND o.advertiser_id = p.advertiser_id
        """,
        """
        CREATE OR REPLACE TEMP TABLE campaigns AS
        SELECT campaign_id, (row_number() OVER (ORDER BY campaign_id) - 1)::INTEGER AS cid
        FROM (SELECT DISTINCT campaign_id FROM owned)
        """,
        """
        CREATE OR REPLACE TEMP TABLE owned_campaigns AS
        SELECT o.campaign_id, o.advertiser_id, c.cid FROM campaign_owners o JOIN campaigns c ON c.campaign_id = o.campaign_id
        """,
        """
        CREATE OR REPLACE TEMP TABLE ad_map AS
        SELECT f.ad_id, f.campaign_id, c.cid
        FROM (SELECT ad_id, arg_min(campaign_id, first_position) AS campaign_id FROM owned GROUP BY ad_id) f
        LEFT JOIN campaigns c ON c.campaign_id = f.campaign_id
        """,
        "DROP TABLE served_pairs",
        "DROP TABLE owned",
    ];

    /// <summary>
    /// The bot verdict of the day's distinct user agents (<c>day_ua</c>) and ips (<c>day_ip</c>). An ip
    /// is a bot when its 128-bit key lies in an inclusive range; a user agent when its ASCII-lowered text
    /// contains a substring (translate, not lower(): lower() folds non-ASCII letters such as the Kelvin
    /// sign). Decided once per distinct value (small tables: a handful of agents, tens of thousands of
    /// ips) and joined back by equality in <see cref="SelectDay"/>: a range test per record grew faster
    /// than the data. Each reads only its columns of the day's files.
    /// </summary>
    public static IReadOnlyList<string> CreateDayVerdicts(IReadOnlyList<MasterFile> served, IReadOnlyList<MasterFile> views, IReadOnlyList<MasterFile> clicks)
    {
        var records = Records(served, views, clicks);
        return
        [
            $"""
            CREATE OR REPLACE TEMP TABLE day_ua AS
            SELECT a.user_agent, EXISTS (SELECT 1 FROM bot_ua u WHERE contains({Lowercase.Replace("user_agent", "a.user_agent", StringComparison.Ordinal)}, u.s)) AS bot
            FROM (SELECT DISTINCT user_agent FROM ({records}) WHERE user_agent IS NOT NULL) a
            """,
            $"""
            CREATE OR REPLACE TEMP TABLE day_ip AS
            SELECT a.ip_hi, a.ip_lo, EXISTS (
                       SELECT 1 FROM bot_ip b
                       WHERE ((a.ip_hi::UHUGEINT << 64) | a.ip_lo)
                             BETWEEN ((b.start_hi::UHUGEINT << 64) | b.start_lo) AND ((b.end_hi::UHUGEINT << 64) | b.end_lo)) AS bot
            FROM (SELECT DISTINCT ip_hi, ip_lo FROM ({records}) WHERE ip_hi IS NOT NULL AND ip_lo IS NOT NULL) a
            """,
        ];
    }

    /// <summary>How a record counts (in <see cref="SelectDay"/>, times 4 plus the kind): copy 1 of a non-bot event.</summary>
    public const int Counted = 0;

    /// <summary>A bot record.</summary>
    public const int Bot = 1;

    /// <summary>A later non-bot copy of an event id (or a non-bot record without one).</summary>
    public const int Duplicate = 2;

    /// <summary>The campaign number of <see cref="SelectDay"/>'s day-check rows (their metric in the third column, the value in the fourth).</summary>
    public const int CheckRow = -2;

    /// <summary>The day-check metrics, in order: distinct non-bot served, view and click event ids, bot records, records, distinct user ids, distinct user hashes.</summary>
    public const int CheckMetrics = 7;

    /// <summary>
    /// One day in one statement, so its records are materialized once (a CTE, not a table: inserting
    /// into a table cost more than everything else of the day):
    /// <list type="bullet">
    /// <item><c>ev</c>: every topic's records (kind 0 served, 1 view, 2 click) with the bot verdict
    /// (<see cref="CreateDayVerdicts"/>; a NULL ip or user agent matches nothing), the log position
    /// (<see cref="Position"/>) and the campaign number: served records count for their own
    /// campaign, views and clicks for their ad's (<c>ad_map</c>); NULL is unattributed, and only then
    /// is the ad id kept. Each join is on one side's column alone (served records ignore the ad map's
    /// answer): a condition on the left side only in a LEFT JOIN's ON clause made DuckDB plan a nested loop.</item>
    /// <item><c>dups</c>, dedupe: the event ids (per topic) with more than one non-bot copy, their first
    /// copy's log position and number of copies. Among non-bot copies the first by log position is copy
    /// 1, later ones are duplicates (no two records of a topic share a position, so exactly one copy is
    /// first); bots are filtered first, so every bot copy counts as a bot. Only resent ids are kept: the
    /// join back probes a small table.</item>
    /// <item>The records, in no order (<see cref="DayRowBuilder"/> sorts them): campaign number, minute,
    /// kind + 4 × how it counts, cost, user hash, and the ad id of an unattributed record.</item>
    /// <item>The day check, as <see cref="CheckMetrics"/> rows with campaign <see cref="CheckRow"/>:
    /// counted from the records, not from the rows: distinct non-bot event ids per topic (the non-bot
    /// records with an id, less the extra copies of the resent ids), bots, records, and distinct user
    /// ids and user hashes: equal when the hash is injective on the day's users, which makes distinct
    /// hashes an exact count of distinct users.</item>
    /// </list>
    /// </summary>
    public static string SelectDay(IReadOnlyList<MasterFile> served, IReadOnlyList<MasterFile> views, IReadOnlyList<MasterFile> clicks) => $"""
        WITH ev AS MATERIALIZED (
            SELECT r.kind, r.event_id, r.user_id, r.user_hash, r.cost_micros,
                   r.event_time_ms - ((r.event_time_ms % 60000) + 60000) % 60000 AS minute_ms,
                   {Position(served, views, clicks)} AS position,
                   coalesce(i.bot, false) OR coalesce(a.bot, false) AS is_bot,
                   CASE WHEN r.kind = 0 THEN c.cid ELSE m.cid END AS cid,
                   CASE WHEN (CASE WHEN r.kind = 0 THEN r.campaign_id ELSE m.campaign_id END) IS NULL THEN r.ad_id END AS unattributed_ad
            FROM ({Records(served, views, clicks)}) r
            LEFT JOIN day_ip i ON i.ip_hi = r.ip_hi AND i.ip_lo = r.ip_lo
            LEFT JOIN day_ua a ON a.user_agent = r.user_agent
            LEFT JOIN ad_map m ON m.ad_id = r.ad_id
            LEFT JOIN owned_campaigns c ON c.campaign_id = r.campaign_id AND c.advertiser_id = r.advertiser_id
            -- A served record naming no accepted owner of its campaign is left out, as the speed layer dead-letters it.
            WHERE r.kind <> 0 OR c.cid IS NOT NULL),
        dups AS MATERIALIZED (
            SELECT kind, event_id, min(position) AS first_position, count(*) AS copies
            FROM ev WHERE NOT is_bot AND event_id IS NOT NULL
            GROUP BY kind, event_id
            HAVING count(*) > 1),
        extra AS (
            SELECT coalesce(sum(copies - 1) FILTER (WHERE kind = 0), 0) AS served,
                   coalesce(sum(copies - 1) FILTER (WHERE kind = 1), 0) AS views,
                   coalesce(sum(copies - 1) FILTER (WHERE kind = 2), 0) AS clicks
            FROM dups),
        checks AS (
            SELECT count(*) FILTER (WHERE NOT is_bot AND kind = 0 AND event_id IS NOT NULL) AS served,
                   count(*) FILTER (WHERE NOT is_bot AND kind = 1 AND event_id IS NOT NULL) AS views,
                   count(*) FILTER (WHERE NOT is_bot AND kind = 2 AND event_id IS NOT NULL) AS clicks,
                   count(*) FILTER (WHERE is_bot) AS bots,
                   count(*) AS records,
                   count(DISTINCT user_id) AS user_ids,
                   count(DISTINCT user_hash) AS user_hashes
            FROM ev)
        SELECT e.cid::INTEGER AS cid, e.minute_ms::BIGINT AS minute_ms,
               (e.kind + 4 * CASE WHEN e.is_bot THEN {Bot}
                                  WHEN e.event_id IS NULL OR e.position <> d.first_position THEN {Duplicate}
                                  ELSE {Counted} END)::INTEGER AS flags,
               e.cost_micros::BIGINT AS cost, e.user_hash::UBIGINT AS user_hash, e.unattributed_ad
        FROM ev e LEFT JOIN dups d ON d.kind = e.kind AND d.event_id = e.event_id
        UNION ALL
        SELECT {CheckRow}, NULL, unnest(range(0, {CheckMetrics}))::INTEGER,
               unnest([c.served - x.served, c.views - x.views, c.clicks - x.clicks, c.bots, c.records, c.user_ids, c.user_hashes])::BIGINT,
               NULL, NULL
        FROM checks c CROSS JOIN extra x
        """;

    /// <summary>
    /// The log position of a record as one number ordered like (partition, offset): a BIGINT,
    /// partition · 2^55 + offset, when every file's partition is below 256 and its offsets below 2^55
    /// (always, in practice); else a HUGEINT, partition · 2^64 + offset, whose checked arithmetic and
    /// 16-byte min() cost about 5 % of the day query.
    /// </summary>
    private static string Position(params IReadOnlyList<MasterFile>[] topics) =>
        topics.All(files => files.All(f => f.Partition is >= 0 and < 256 && f.ToOffset <= 1L << 55))
            ? "(r.log_partition::BIGINT << 55) + r.log_offset"
            : "r.log_partition::HUGEINT * 18446744073709551616 + r.log_offset";

    /// <summary>A read_parquet over exactly these files.</summary>
    public static string ReadParquet(IReadOnlyList<MasterFile> files) =>
        $"read_parquet([{string.Join(", ", files.Select(f => DuckDbSql.Literal(f.FullPath)))}], hive_partitioning = true)";

    private static string Records(IReadOnlyList<MasterFile> served, IReadOnlyList<MasterFile> views, IReadOnlyList<MasterFile> clicks)
    {
        var parts = new List<string>();
        AddTopic(parts, 0, served);
        AddTopic(parts, 1, views);
        AddTopic(parts, 2, clicks);
        return string.Join("\nUNION ALL\n", parts);
    }

    private static void AddTopic(List<string> parts, int kind, IReadOnlyList<MasterFile> files)
    {
        if (files.Count > 0)
        {
            parts.Add($"""
                SELECT {kind}::TINYINT AS kind, event_id, ad_id, campaign_id, advertiser_id, user_id, user_hash, ip_hi, ip_lo, user_agent,
                       cost_micros, event_time_ms, log_partition, log_offset
                FROM {ReadParquet(files)}
                """);
        }
    }
}

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

    /// <summary>The bot tables and the tables a run fills.</summary>
    public const string CreateTables = """
        CREATE TEMP TABLE bot_ip (start_hi UBIGINT, start_lo UBIGINT, end_hi UBIGINT, end_lo UBIGINT);
        CREATE TEMP TABLE bot_ua (s VARCHAR);
        CREATE TEMP TABLE final_rows (
            granularity VARCHAR, campaign_id VARCHAR, bucket_start_ms BIGINT,
            impressions BIGINT, views BIGINT, clicks BIGINT, spend_micros BIGINT,
            bot_filtered BIGINT, late BIGINT, unattributed BIGINT, duplicates BIGINT, uniques BIGINT, uniques_sketch BLOB);
        CREATE TEMP TABLE day_checks (
            day_ms BIGINT, served BIGINT, views BIGINT, clicks BIGINT, bots BIGINT, records BIGINT, user_ids BIGINT, user_hashes BIGINT);
        """;

    /// <summary>The ad→campaign map: the first served record of an ad by log position fixes its campaign (bots included, as in the speed layer).</summary>
    public static string CreateAdMap(IReadOnlyList<MasterFile> servedFiles) => servedFiles.Count == 0
        ? "CREATE OR REPLACE TEMP TABLE ad_map (ad_id VARCHAR, campaign_id VARCHAR)"
        : $"""
          CREATE OR REPLACE TEMP TABLE ad_map AS
          SELECT ad_id, arg_min(campaign_id, (log_partition, log_offset)) AS campaign_id
          FROM {ReadParquet(servedFiles)}
          GROUP BY ad_id
          """;

    /// <summary>
    /// One day's records of every topic (kind 0 served, 1 view, 2 click) with the bot verdict. An ip is
    /// a bot when its 128-bit key lies in an inclusive range; a user agent when its ASCII-lowered text
    /// contains a substring (translate, not lower(): lower() folds non-ASCII letters such as the Kelvin sign).
    /// The verdict is decided once per distinct user agent and per distinct ip (small tables: a handful
    /// of agents, tens of thousands of ips) and joined back by equality: a range test per record was the
    /// read stage's cost and grew faster than the data. A NULL ip or user agent matches nothing.
    /// The ip and user agent columns are not kept: nothing after the verdict reads them.
    /// </summary>
    public static string CreateDayEvents(IReadOnlyList<MasterFile> served, IReadOnlyList<MasterFile> views, IReadOnlyList<MasterFile> clicks)
    {
        var parts = new List<string>();
        AddTopic(parts, 0, served);
        AddTopic(parts, 1, views);
        AddTopic(parts, 2, clicks);
        var records = string.Join("\nUNION ALL\n", parts);
        return $"""
            CREATE OR REPLACE TEMP TABLE day_ua AS
            SELECT a.user_agent, EXISTS (SELECT 1 FROM bot_ua u WHERE contains({Lowercase.Replace("user_agent", "a.user_agent", StringComparison.Ordinal)}, u.s)) AS bot
            FROM (SELECT DISTINCT user_agent FROM ({records}) WHERE user_agent IS NOT NULL) a;
            CREATE OR REPLACE TEMP TABLE day_ip AS
            SELECT a.ip_hi, a.ip_lo, EXISTS (
                       SELECT 1 FROM bot_ip b
                       WHERE ((a.ip_hi::UHUGEINT << 64) | a.ip_lo)
                             BETWEEN ((b.start_hi::UHUGEINT << 64) | b.start_lo) AND ((b.end_hi::UHUGEINT << 64) | b.end_lo)) AS bot
            FROM (SELECT DISTINCT ip_hi, ip_lo FROM ({records}) WHERE ip_hi IS NOT NULL AND ip_lo IS NOT NULL) a;
            CREATE OR REPLACE TEMP TABLE ev AS
            SELECT r.kind, r.event_id, r.ad_id, r.campaign_id, r.user_id, r.user_hash, r.cost_micros, r.event_time_ms,
                   r.log_partition, r.log_offset,
                   coalesce(i.bot, false) OR coalesce(a.bot, false) AS is_bot
            FROM ({records}) r
            LEFT JOIN day_ip i ON i.ip_hi = r.ip_hi AND i.ip_lo = r.ip_lo
            LEFT JOIN day_ua a ON a.user_agent = r.user_agent;
            DROP TABLE day_ua;
            DROP TABLE day_ip;
            """;
    }

    /// <summary>
    /// Attribution and dedupe: served records keep their own campaign, views and clicks take their
    /// ad's (NULL when no served record ever named the ad). Among non-bot copies of an event_id within
    /// a topic the first by log position is copy 1; later copies are duplicates (copy 2). Bots are
    /// filtered first, so every bot copy counts as a bot (copy 0). The first copy is found by a GROUP BY
    /// (kind, event_id) with min(log position), joined back by equality: cheaper than a row_number()
    /// window, which sorts every partition. No two records of a topic share a log position, so exactly
    /// one copy matches the minimum (the position as partition · 2^64 + offset, a HUGEINT in log order). The join to ad_map is on ad_id alone (served records ignore its
    /// result): a condition on the left side only (<c>e.kind &lt;&gt; 0</c>) in the ON clause of a LEFT JOIN
    /// made DuckDB plan a nested loop, the slowest stage of the whole run.
    /// </summary>
    public const string CreateAttributed = """
        CREATE OR REPLACE TEMP TABLE evc AS
        WITH firsts AS (
            SELECT kind, event_id, min(log_partition::HUGEINT * 18446744073709551616 + log_offset) AS first_position
            FROM ev WHERE NOT is_bot
            GROUP BY kind, event_id)
        SELECT e.kind, e.ad_id, e.user_id, e.user_hash, e.cost_micros, e.is_bot,
               CASE WHEN e.kind = 0 THEN e.campaign_id ELSE m.campaign_id END AS campaign_id,
               e.event_time_ms - ((e.event_time_ms % 60000) + 60000) % 60000 AS minute_ms,
               e.event_time_ms - ((e.event_time_ms % 3600000) + 3600000) % 3600000 AS hour_ms,
               e.event_time_ms - ((e.event_time_ms % 86400000) + 86400000) % 86400000 AS day_ms,
               CASE WHEN e.is_bot THEN 0
                    WHEN e.log_partition::HUGEINT * 18446744073709551616 + e.log_offset = f.first_position THEN 1
                    ELSE 2
               END AS copy
        FROM ev e
        LEFT JOIN firsts f ON f.kind = e.kind AND f.event_id = e.event_id
        LEFT JOIN ad_map m ON m.ad_id = e.ad_id
        """;

    /// <summary>What could not be attributed this day: views and clicks (and their bot and duplicate copies) of ads no served record names.</summary>
    public const string SelectUnattributed = """
        SELECT count(*) FILTER (WHERE NOT is_bot AND copy = 1 AND kind = 1),
               count(*) FILTER (WHERE NOT is_bot AND copy = 1 AND kind = 2),
               count(*) FILTER (WHERE is_bot),
               count(*) FILTER (WHERE NOT is_bot AND copy > 1)
        FROM evc
        WHERE campaign_id IS NULL
        """;

    /// <summary>The ads of the day's unattributed records.</summary>
    public const string SelectUnattributedAds = "SELECT DISTINCT ad_id FROM evc WHERE campaign_id IS NULL ORDER BY ad_id";

    /// <summary>How a record of <see cref="SelectDayRecords"/> counts (its fourth column): copy 1 of a non-bot event.</summary>
    public const int Counted = 0;

    /// <summary>A bot record.</summary>
    public const int Bot = 1;

    /// <summary>A later non-bot copy of an event id.</summary>
    public const int Duplicate = 2;

    /// <summary>The day's campaigns (with any attributed record), in the order <see cref="SelectDayRecords"/> numbers them.</summary>
    public const string SelectDayCampaigns = "SELECT DISTINCT campaign_id FROM evc WHERE campaign_id IS NOT NULL ORDER BY campaign_id";

    /// <summary>
    /// The day's attributed records, campaign numbered as in <see cref="SelectDayCampaigns"/>, ordered by
    /// campaign and minute for <see cref="DayRowBuilder"/>: kind, how it counts, cost and user hash.
    /// </summary>
    public const string SelectDayRecords = """
        WITH c AS (SELECT campaign_id, (row_number() OVER (ORDER BY campaign_id) - 1)::INTEGER AS cid
                   FROM (SELECT DISTINCT campaign_id FROM evc WHERE campaign_id IS NOT NULL))
        SELECT c.cid, e.minute_ms::BIGINT, e.kind::INTEGER,
               (CASE WHEN e.is_bot THEN 1 WHEN e.copy > 1 THEN 2 ELSE 0 END)::INTEGER,
               e.cost_micros::BIGINT, e.user_hash::UBIGINT
        FROM evc e JOIN c ON c.campaign_id = e.campaign_id
        ORDER BY c.cid, e.minute_ms
        """;

    /// <summary>
    /// The day's reconciliation inputs, counted straight from the records: distinct non-bot event ids per
    /// topic; and distinct user ids and user hashes: equal when the hash is injective on the day's users,
    /// which makes distinct hashes an exact count of distinct users.
    /// </summary>
    public const string InsertDayCheck = """
        INSERT INTO day_checks
        SELECT $1::BIGINT,
               count(DISTINCT event_id) FILTER (WHERE NOT is_bot AND kind = 0),
               count(DISTINCT event_id) FILTER (WHERE NOT is_bot AND kind = 1),
               count(DISTINCT event_id) FILTER (WHERE NOT is_bot AND kind = 2),
               count(*) FILTER (WHERE is_bot),
               count(*),
               count(DISTINCT user_id),
               count(DISTINCT user_hash)
        FROM ev
        """;

    /// <summary>A read_parquet over exactly these files.</summary>
    public static string ReadParquet(IReadOnlyList<MasterFile> files) =>
        $"read_parquet([{string.Join(", ", files.Select(f => DuckDbSql.Literal(f.FullPath)))}], hive_partitioning = true)";

    private static void AddTopic(List<string> parts, int kind, IReadOnlyList<MasterFile> files)
    {
        if (files.Count > 0)
        {
            parts.Add($"""
                SELECT {kind}::TINYINT AS kind, event_id, ad_id, campaign_id, user_id, user_hash, ip_hi, ip_lo, user_agent,
                       cost_micros, event_time_ms, log_partition, log_offset
                FROM {ReadParquet(files)}
                """);
        }
    }
}

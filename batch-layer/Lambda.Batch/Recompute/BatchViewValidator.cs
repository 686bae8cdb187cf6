using System.Globalization;
using Lambda.DuckDb;
using Lambda.SharedModel.Time;

namespace Lambda.Batch.Recompute;

/// <summary>
/// Checks a version's rows before it may become current: rows exist when there is data, no counter
/// is negative, no bucket reaches W, hour and day rows add up to their minutes, and every date's
/// minute rows reconcile with the master records' own totals (distinct non-bot event ids per topic,
/// bots, every record). Returns the problems found; empty means valid.
/// </summary>
internal static class BatchViewValidator
{

    /// <summary>
    /// Validates the version: <paramref name="groups"/> are the sums of the computed rows
    /// (<see cref="DayRowSpool.Groups"/>, campaigns by number in <paramref name="campaigns"/>); copied rows
    /// are read from <c>copied_rows</c>.
    /// </summary>
    public static IReadOnlyList<string> Validate(DuckDbConnection connection, IReadOnlyList<DayTotals> days, long watermarkMs,
        IReadOnlyList<SpoolGroup> groups, IReadOnlyList<byte[]> campaigns)
    {
        var problems = new List<string>();
        connection.Execute("""
            CREATE OR REPLACE TEMP TABLE expected_days (
                day_ms BIGINT, served BIGINT, views BIGINT, clicks BIGINT, bots BIGINT, records BIGINT,
                u_views BIGINT, u_clicks BIGINT, u_bots BIGINT, u_duplicates BIGINT)
            """);
        using (var appender = connection.CreateAppender("expected_days"))
        {
            foreach (var d in days)
            {
                appender.AppendInt64(BatchWatermark.StartOf(d.Date));
                appender.AppendInt64(d.Served);
                appender.AppendInt64(d.Views);
                appender.AppendInt64(d.Clicks);
                appender.AppendInt64(d.Bots);
                appender.AppendInt64(d.Records);
                appender.AppendInt64(d.UnattributedViews);
                appender.AppendInt64(d.UnattributedClicks);
                appender.AppendInt64(d.UnattributedBotFiltered);
                appender.AppendInt64(d.UnattributedDuplicates);
                appender.EndRow();
            }

            appender.Close();
        }

        // The computed rows' sums come from the spool (SpoolGroup, one C# pass over the rows the files
        // get); the copied rows' from SQL. Days are computed or copied, never both, but the final
        // GROUP BY would merge a group that came from both.
        connection.Execute("""
            CREATE OR REPLACE TEMP TABLE spooled_groups (
                granularity VARCHAR, campaign_id VARCHAR, day_ms BIGINT, i BIGINT, v BIGINT, c BIGINT, s BIGINT,
                b BIGINT, d BIGINT, u_max BIGINT, n BIGINT, negative BIGINT, beyond BIGINT)
            """);
        using (var appender = connection.CreateAppender("spooled_groups"))
        {
            foreach (var g in groups)
            {
                appender.AppendVarchar(BatchViewFiles.Granularities[g.Granularity]);
                appender.AppendVarchar(campaigns[g.Cid]);
                foreach (var value in (ReadOnlySpan<long>)[g.DayMs, g.Impressions, g.Views, g.Clicks, g.Spend, g.Bots, g.Duplicates,
                             g.MaxUniques, g.Rows, g.Negative, g.Beyond])
                {
                    appender.AppendInt64(value);
                }

                appender.EndRow();
            }

            appender.Close();
        }

        connection.Execute($"""
            CREATE OR REPLACE TEMP TABLE checked_groups AS
            SELECT granularity, campaign_id, day_ms, sum(i) AS i, sum(v) AS v, sum(c) AS c, sum(s) AS s, sum(b) AS b, sum(d) AS d,
                   max(u_max) AS u_max, sum(n) AS n, sum(negative) AS negative, sum(beyond) AS beyond
            FROM (
                SELECT * FROM spooled_groups
                UNION ALL
                SELECT granularity, campaign_id, bucket_start_ms - ((bucket_start_ms % {Granularities.DayMs}) + {Granularities.DayMs}) % {Granularities.DayMs} AS day_ms,
                       sum(impressions), sum(views), sum(clicks), sum(spend_micros), sum(bot_filtered), sum(duplicates),
                       max(uniques), count(*),
                       count(*) FILTER (WHERE impressions < 0 OR views < 0 OR clicks < 0 OR spend_micros < 0 OR bot_filtered < 0
                                        OR late < 0 OR unattributed < 0 OR duplicates < 0 OR uniques < 0),
                       count(*) FILTER (WHERE bucket_start_ms >= {watermarkMs.ToString(CultureInfo.InvariantCulture)})
                FROM copied_rows GROUP BY ALL)
            GROUP BY ALL;
            DROP TABLE spooled_groups
            """);
        try
        {
            CheckBasics(connection, days, problems);
            CheckReconciliation(connection, problems);
            CheckRollups(connection, problems);
        }
        finally
        {
            connection.Execute("DROP TABLE IF EXISTS checked_groups");
        }

        return problems;
    }

    private static void CheckBasics(DuckDbConnection connection, IReadOnlyList<DayTotals> days, List<string> problems)
    {
        using var reader = connection.Query("""
            SELECT coalesce(sum(n) FILTER (WHERE granularity = 'minute'), 0)::BIGINT, coalesce(sum(negative), 0)::BIGINT,
                   coalesce(sum(beyond), 0)::BIGINT
            FROM checked_groups
            """);
        reader.Read();
        var minuteRows = reader.GetInt64(0);
        var attributable = days.Sum(d => d.Served + d.Bots - d.UnattributedBotFiltered);
        if (attributable > 0 && minuteRows == 0)
        {
            problems.Add(Invariant($"no minute rows although the master dataset has {attributable} attributable records before W"));
        }

        if (reader.GetInt64(1) is var negative and > 0)
        {
            problems.Add(Invariant($"{negative} rows have a negative counter"));
        }

        if (reader.GetInt64(2) is var beyond and > 0)
        {
            problems.Add(Invariant($"{beyond} rows have a bucket at or after W"));
        }
    }

    private static void CheckReconciliation(DuckDbConnection connection, List<string> problems)
    {
        using var reader = connection.Query($"""
            WITH m AS (
                SELECT day_ms, sum(i) AS i, sum(v) AS v, sum(c) AS c, sum(b) AS b, sum(d) AS d
                FROM checked_groups WHERE granularity = 'minute' GROUP BY 1)
            SELECT coalesce(e.day_ms, m.day_ms), e.served, e.views, e.clicks, e.bots, e.records,
                   e.u_views, e.u_clicks, e.u_bots, e.u_duplicates,
                   coalesce(m.i, 0), coalesce(m.v, 0), coalesce(m.c, 0), coalesce(m.b, 0), coalesce(m.d, 0)
            FROM expected_days e FULL OUTER JOIN m ON m.day_ms = e.day_ms
            ORDER BY 1
            """);
        while (reader.Read())
        {
            var day = BatchWatermark.DateOf(reader.GetInt64(0)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (reader.IsNull(1))
            {
                problems.Add($"{day}: rows for a date the version does not cover");
                continue;
            }

            long served = reader.GetInt64(1), views = reader.GetInt64(2), clicks = reader.GetInt64(3), bots = reader.GetInt64(4),
                records = reader.GetInt64(5), uViews = reader.GetInt64(6), uClicks = reader.GetInt64(7), uBots = reader.GetInt64(8),
                uDuplicates = reader.GetInt64(9), i = reader.GetInt64(10), v = reader.GetInt64(11), c = reader.GetInt64(12),
                b = reader.GetInt64(13), d = reader.GetInt64(14);
            Expect(problems, day, "impressions", served, i);
            Expect(problems, day, "views (attributed + unattributed)", views, v + uViews);
            Expect(problems, day, "clicks (attributed + unattributed)", clicks, c + uClicks);
            Expect(problems, day, "bot records", bots, b + uBots);
            Expect(problems, day, "records (distinct + duplicates + bots)", records, served + views + clicks + d + uDuplicates + bots);
        }
    }

    private static void CheckRollups(DuckDbConnection connection, List<string> problems)
    {
        using var reader = connection.Query($"""
            WITH g AS (SELECT granularity, campaign_id, day_ms, i, v, c, s, b, d, u_max FROM checked_groups),
                 m AS (SELECT r.granularity AS rollup, g.* FROM g CROSS JOIN (VALUES ('hour'), ('day')) r(granularity)
                       WHERE g.granularity = 'minute'),
                 o AS (SELECT * FROM g WHERE granularity <> 'minute')
            SELECT coalesce(o.granularity, m.rollup), count(*)
            FROM m FULL OUTER JOIN o ON o.granularity = m.rollup AND o.campaign_id = m.campaign_id AND o.day_ms = m.day_ms
            WHERE m.i IS DISTINCT FROM o.i OR m.v IS DISTINCT FROM o.v OR m.c IS DISTINCT FROM o.c OR m.s IS DISTINCT FROM o.s
                  OR m.b IS DISTINCT FROM o.b OR m.d IS DISTINCT FROM o.d OR o.u_max < m.u_max
            GROUP BY 1
            """);
        while (reader.Read())
        {
            var granularity = reader.GetString(0);
            problems.Add(Invariant($"{reader.GetInt64(1)} campaign-days whose {granularity} rows do not add up to their minute rows"));
        }
    }

    private static void Expect(List<string> problems, string day, string what, long expected, long actual)
    {
        if (expected != actual)
        {
            problems.Add(Invariant($"{day}: {what} in the view is {actual}, the master dataset has {expected}"));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

using Lambda.DuckDb;
using Lambda.SharedModel.Bots;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Sketches;

namespace Lambda.Batch.Recompute;

/// <summary>
/// One run's work inside DuckDB: day by day over the master files into <c>view_rows</c> and
/// <c>sketches</c>, days copied from the base version, then <c>final_rows</c> written as Parquet.
/// Days are independent once the ad map is known: a duplicate is a resend of the same event, so its
/// copies share the event time and the date folder, and dedupe within a date is exact.
/// </summary>
internal sealed class ExactViewComputation
{
    /// <summary>The columns of a version's Parquet files, in order.</summary>
    public const string RowColumns =
        "granularity, campaign_id, bucket_start_ms, impressions, views, clicks, spend_micros, bot_filtered, late, unattributed, duplicates, uniques, uniques_sketch";

    private const long DayMs = 86_400_000;

    private readonly DuckDbConnection _connection;

    public ExactViewComputation(DuckDbConnection connection, BotRules rules, MasterSnapshot snapshot)
    {
        _connection = connection;
        _connection.Execute(ExactViewSql.CreateTables);
        _connection.Execute("CREATE TEMP TABLE copied_days (day_ms BIGINT)");
        BotRuleTables.Load(connection, rules);
        _connection.Execute(ExactViewSql.CreateAdMap(snapshot.FilesOf(Topics.Served)));
    }

    /// <summary>The newest log time over <paramref name="files"/>, or null if they hold no record.</summary>
    public static long? NewestLogTime(DuckDbConnection connection, IReadOnlyList<MasterFile> files)
    {
        if (files.Count == 0)
        {
            return null;
        }

        using var reader = connection.Query($"SELECT max(log_time_ms) FROM {ExactViewSql.ReadParquet(files)}");
        return reader.Read() && !reader.IsNull(0) ? reader.GetInt64(0) : null;
    }

    /// <summary>The distinct ad ids of served records in <paramref name="files"/>.</summary>
    public static HashSet<string> ServedAds(DuckDbConnection connection, IReadOnlyList<MasterFile> files)
    {
        var ads = new HashSet<string>(StringComparer.Ordinal);
        if (files.Count == 0)
        {
            return ads;
        }

        using var reader = connection.Query($"SELECT DISTINCT ad_id FROM {ExactViewSql.ReadParquet(files)} WHERE ad_id IS NOT NULL");
        while (reader.Read())
        {
            ads.Add(reader.GetString(0));
        }

        return ads;
    }

    /// <summary>Computes every row of one event date and returns the date's totals.</summary>
    public DayTotals ComputeDay(DateOnly date, MasterSnapshot snapshot)
    {
        _connection.Execute(ExactViewSql.CreateDayEvents(
            snapshot.FilesOf(Topics.Served, date), snapshot.FilesOf(Topics.Views, date), snapshot.FilesOf(Topics.Clicks, date)));
        using (var check = _connection.Prepare(ExactViewSql.InsertDayCheck))
        {
            check.BindInt64(1, BatchWatermark.StartOf(date));
            check.Execute();
        }

        _connection.Execute(ExactViewSql.CreateAttributed);
        _connection.Execute(ExactViewSql.InsertRows("minute", "minute_ms"));
        _connection.Execute(ExactViewSql.InsertRows("hour", "hour_ms"));
        _connection.Execute(ExactViewSql.InsertRows("day", "day_ms"));
        DaySketchBuilder.Build(_connection);

        long views, clicks, bots, duplicates;
        using (var reader = _connection.Query(ExactViewSql.SelectUnattributed))
        {
            reader.Read();
            (views, clicks, bots, duplicates) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
        }

        var ads = new List<string>();
        using (var reader = _connection.Query(ExactViewSql.SelectUnattributedAds))
        {
            while (reader.Read())
            {
                ads.Add(reader.GetString(0));
            }
        }

        using var totals = _connection.Prepare("SELECT served, views, clicks, bots, records FROM day_checks WHERE day_ms = $1");
        totals.BindInt64(1, BatchWatermark.StartOf(date));
        using var row = totals.Query();
        row.Read();
        _connection.Execute("DROP TABLE ev; DROP TABLE evc");
        return new DayTotals(date, row.GetInt64(0), row.GetInt64(1), row.GetInt64(2), row.GetInt64(3), row.GetInt64(4),
            views, clicks, bots, duplicates, ads);
    }

    /// <summary>Takes the rows of <paramref name="dates"/> unchanged from the base version's files.</summary>
    public void CopyDays(string baseVersionDirectory, IReadOnlyCollection<DateOnly> dates)
    {
        if (dates.Count == 0)
        {
            return;
        }

        using (var days = _connection.CreateAppender("copied_days"))
        {
            foreach (var date in dates)
            {
                days.AppendInt64(BatchWatermark.StartOf(date));
                days.EndRow();
            }

            days.Close();
        }

        var files = string.Join(", ", BatchViewFiles.Granularities.Select(g => DuckDbSql.Literal(BatchViewFiles.PathOf(baseVersionDirectory, g))));
        _connection.Execute($"""
            CREATE TEMP TABLE copied_rows AS
            SELECT {RowColumns} FROM read_parquet([{files}])
            WHERE bucket_start_ms - ((bucket_start_ms % {DayMs}) + {DayMs}) % {DayMs} IN (SELECT day_ms FROM copied_days)
            """);
    }

    /// <summary>Joins the computed rows with their sketches (an empty sketch where no user counted) and adds the copied rows.</summary>
    public void CreateFinalRows(bool withCopiedRows)
    {
        using var statement = _connection.Prepare($"""
            CREATE TEMP TABLE final_rows AS
            SELECT r.granularity, r.campaign_id, r.bucket_start_ms, r.impressions, r.views, r.clicks, r.spend_micros,
                   r.bot_filtered, r.late, r.unattributed, r.duplicates, r.uniques, coalesce(s.sketch, $1) AS uniques_sketch
            FROM view_rows r
            LEFT JOIN sketches s ON s.granularity = r.granularity AND s.campaign_id = r.campaign_id AND s.bucket_start_ms = r.bucket_start_ms
            {(withCopiedRows ? "UNION ALL SELECT * FROM copied_rows" : "")}
            """);
        statement.BindBlob(1, new HyperLogLog().ToBytes());
        statement.Execute();
    }

    /// <summary>Writes <c>final_rows</c> as one Parquet file per granularity; returns the row counts.</summary>
    public (long Minute, long Hour, long Day) WriteParquet(string directory)
    {
        var counts = new long[3];
        for (var i = 0; i < BatchViewFiles.Granularities.Count; i++)
        {
            var granularity = BatchViewFiles.Granularities[i];
            // Ordered, so the same rows always make the same file.
            counts[i] = _connection.Execute($"""
                COPY (SELECT {RowColumns} FROM final_rows WHERE granularity = {DuckDbSql.Literal(granularity)}
                      ORDER BY campaign_id, bucket_start_ms)
                TO {DuckDbSql.Literal(BatchViewFiles.PathOf(directory, granularity))} (FORMAT parquet, COMPRESSION zstd)
                """);
        }

        return (counts[0], counts[1], counts[2]);
    }

    /// <summary>The connection, for validation queries.</summary>
    public DuckDbConnection Connection => _connection;
}

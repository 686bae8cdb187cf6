using Lambda.Batch.ParquetFiles;
using Lambda.DuckDb;
using Lambda.SharedModel.Bots;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Time;
using Lambda.SharedModel.Views;

namespace Lambda.Batch.Recompute;

/// <summary>
/// One run's work inside DuckDB: day by day over the master files into <c>final_rows</c> (the rows and
/// sketches built by <see cref="DayRowBuilder"/>), days copied from the base version, then written as Parquet.
/// Days are independent once the ad map is known: a duplicate is a resend of the same event, so its
/// copies share the event time and the date folder, and dedupe within a date is exact.
/// </summary>
internal sealed class ExactViewComputation
{

    private readonly DuckDbConnection _connection;
    private bool _hasCopiedRows;
    private readonly DayRowBuilder _rows = new();
    private readonly DayRecords[] _records = [new(), new()];
    private readonly DayRowSpool _spool = new();
    private readonly List<byte[]> _campaigns = [];
    private readonly ParquetFileFormat _format;

    /// <param name="owners">
    /// Takes each campaign's first claim (<see cref="ExactViewSql.FirstClaims"/>) and returns every accepted
    /// owner pair: the view store's <c>ClaimCampaignsAsync</c> then <c>ReadCampaignOwnersAsync</c>, so both
    /// layers judge served records by the same owners.
    /// </param>
    public ExactViewComputation(DuckDbConnection connection, BotRules rules, MasterSnapshot snapshot,
        Func<IReadOnlyList<CampaignInfo>, IReadOnlyList<CampaignInfo>> owners, RecomputeTimings? timings = null, ParquetFileFormat? format = null)
    {
        // zstd level 1: about a third less CPU than level 3 for ~10 % more bytes (10M events).
        _format = format ?? new ParquetFileFormat(ParquetCompression.Zstd, ZstdLevel: 1, RowGroupRows: 122_880);
        ArgumentNullException.ThrowIfNull(owners);
        _connection = connection;
        Timings = timings ?? new RecomputeTimings();
        _connection.Execute(ExactViewSql.CreateTables);
        _connection.Execute("CREATE TEMP TABLE copied_days (day_ms BIGINT)");
        BotRuleTables.Load(connection, rules);
        Timings.Measure("ad map", () =>
        {
            _connection.Execute(ExactViewSql.CreateServedPairs(snapshot.FilesOf(Topics.Served)));
            LoadOwners(owners(FirstClaims()));
            ExecuteEach(ExactViewSql.CreateAdMap);
        });
        using (var reader = _connection.Query("SELECT campaign_id FROM campaigns ORDER BY cid"))
        {
            while (reader.Read())
            {
                _campaigns.Add(reader.GetBytes(0).ToArray());
            }
        }

        _connection.RegisterTableFunction(_spool.TableFunction(_campaigns));
    }

    /// <summary>
    /// Computes every row of <paramref name="dates"/> (in date order) and returns their totals. With
    /// <paramref name="overlap"/> the rows of a day are built on another thread while DuckDB computes the
    /// next day (both cores busy; the stage CPU times then overlap, so "rows+sketches" is wall time only).
    /// </summary>
    public List<DayTotals> ComputeDays(IReadOnlyList<DateOnly> dates, MasterSnapshot snapshot, bool overlap = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dates);
        // Date order: the spool keeps a campaign's rows in bucket order by keeping its days in order.
        dates = [.. dates.Order()];
        if (!overlap)
        {
            return [.. dates.Select(d =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                return ComputeDay(d, snapshot);
            })];
        }

        var totals = new List<DayTotals>();
        Task<TimeSpan>? building = null;
        for (var i = 0; i < dates.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var records = _records[i % 2];
            LoadDay(dates[i], snapshot, records);
            if (building is not null)
            {
                Timings.Add("rows+sketches", building.GetAwaiter().GetResult());
            }

            totals.Add(FinishDay(records));
            building = Task.Run(() =>
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var cpuNs = ThreadCpuClock.NowNs();
                _rows.Build(records, _spool);
                Timings.AddThreadCpu("rows+sketches", ThreadCpuClock.Since(cpuNs));
                return System.Diagnostics.Stopwatch.GetElapsedTime(started);
            }, cancellationToken);
        }

        if (building is not null)
        {
            Timings.Add("rows+sketches", building.GetAwaiter().GetResult());
        }

        return totals;
    }

    /// <summary>Where the time went.</summary>
    public RecomputeTimings Timings { get; }

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
    private List<CampaignInfo> FirstClaims()
    {
        var claims = new List<CampaignInfo>();
        using var reader = _connection.Query(ExactViewSql.FirstClaims);
        while (reader.Read())
        {
            claims.Add(new CampaignInfo(reader.GetString(0), reader.GetString(1)));
        }

        return claims;
    }

    private void LoadOwners(IReadOnlyList<CampaignInfo> pairs)
    {
        _connection.Execute(ExactViewSql.CreateCampaignOwners);
        using var appender = _connection.CreateAppender("campaign_owners");
        foreach (var pair in pairs)
        {
            appender.AppendVarchar(pair.CampaignId);
            appender.AppendVarchar(pair.AdvertiserId);
            appender.EndRow();
        }

        appender.Close();
    }

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
        var records = _records[0];
        LoadDay(date, snapshot, records);
        Timings.Measure("rows+sketches", () => _rows.Build(records, _spool));
        return FinishDay(records);
    }

    /// <summary>The day's SQL (bot verdicts, then records and day check in one statement), its result copied into <paramref name="records"/>.</summary>
    private void LoadDay(DateOnly date, MasterSnapshot snapshot, DayRecords records)
    {
        var (served, views, clicks) = (snapshot.FilesOf(Topics.Served, date), snapshot.FilesOf(Topics.Views, date), snapshot.FilesOf(Topics.Clicks, date));
        Timings.Measure("bot verdicts", () => ExecuteEach(ExactViewSql.CreateDayVerdicts(served, views, clicks)));
        Timings.Measure("day query", () =>
        {
            using var reader = _connection.QueryWithoutSpinning(ExactViewSql.SelectDay(served, views, clicks));
            records.Date = date;
            records.Load(reader);
        });
    }

    /// <summary>The day's totals, after the day check.</summary>
    private static DayTotals FinishDay(DayRecords records)
    {
        var date = records.Date;
        var checks = records.Checks;
        if (checks[5] != checks[6])
        {
            // A 64-bit collision between two user ids (or a user_hash that is not UserHash.Of(user_id)):
            // distinct hashes would undercount users. Never seen; refuse rather than publish a wrong count.
            throw new InvalidDataException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{date:yyyy-MM-dd}: {checks[5]} distinct user ids but {checks[6]} distinct user hashes in the master dataset"));
        }

        return new DayTotals(date, checks[0], checks[1], checks[2], checks[3], checks[4],
            records.UnattributedViews, records.UnattributedClicks, records.UnattributedBots, records.UnattributedDuplicates,
            records.UnattributedAdIds());
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

        // The base version's files: one per granularity, or parts (BatchViewFiles).
        var files = BatchViewFiles.ListLiteral(BatchViewFiles.Granularities.SelectMany(g => BatchViewFiles.PathsOf(baseVersionDirectory, g)));
        _connection.Execute($"""
            INSERT INTO copied_rows
            SELECT {BatchViewFiles.ColumnNames} FROM read_parquet({files})
            WHERE bucket_start_ms - ((bucket_start_ms % {Granularities.DayMs}) + {Granularities.DayMs}) % {Granularities.DayMs} IN (SELECT day_ms FROM copied_days)
            """);
    }

    /// <summary>
    /// Shows the computed rows (read from the spool) and the copied rows as <c>final_rows</c>, in the
    /// files' columns (a view).
    /// </summary>
    public void CreateFinalRows(bool withCopiedRows)
    {
        _hasCopiedRows = withCopiedRows;
        _connection.Execute(ExactViewSql.CreateFinalRows);
    }

    /// <summary>
    /// Whether the files can be written beside the validation (on other threads): only the computed rows,
    /// read from the spool (copied rows are read through this connection, which the validation uses).
    /// </summary>
    public bool CanWriteElsewhere => !_hasCopiedRows;

    /// <summary>Writes <c>final_rows</c> as one Parquet file per granularity; returns the row counts. The spool stays until <see cref="ReleaseRows"/>.</summary>
    public (long Minute, long Hour, long Day) WriteParquet(string directory)
    {
        var counts = new long[3];
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var pool = new ParquetWriterPool(BatchViewFiles.Columns, _format);
        for (var g = 0; g < 3; g++)
        {
            counts[g] = WriteFile(pool, g, BatchViewFiles.PathOf(directory, BatchViewFiles.Granularities[g]), 0, _campaigns.Count);
        }

        Timings.Add("write parquet", System.Diagnostics.Stopwatch.GetElapsedTime(started));
        return (counts[0], counts[1], counts[2]);
    }

    /// <summary>
    /// Writes the rows of granularity <paramref name="g"/> of the campaigns numbered [<paramref name="fromCid"/>,
    /// <paramref name="toCid"/>) to <paramref name="path"/>; returns the rows written. Computed rows come
    /// straight from the spool, already in the files' order (campaign, then bucket); with copied rows, the
    /// granularity's <c>final_rows</c> sorted by DuckDB (all campaigns). The same rows always make the same file.
    /// </summary>
    private long WriteFile(ParquetWriterPool pool, int g, string path, int fromCid, int toCid)
    {
        var writer = pool.Rent();
        try
        {
            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
            writer.Start(stream);
            long rows;
            try
            {
                rows = _hasCopiedRows ? AppendFinalRows(g, writer) : _spool.WriteRows(g, fromCid, toCid, _campaigns, writer);
                writer.Complete();
            }
            catch
            {
                writer.Abandon();
                throw;
            }

            return rows;
        }
        finally
        {
            pool.Return(writer);
        }
    }

    private long AppendFinalRows(int g, ParquetFileWriter writer)
    {
        using var reader = _connection.Query(
            $"SELECT {BatchViewFiles.ColumnNames} FROM final_rows WHERE granularity = {DuckDbSql.Literal(BatchViewFiles.Granularities[g])} ORDER BY campaign_id, bucket_start_ms");
        var columns = BatchViewFiles.Columns;
        long rows = 0;
        while (reader.Read())
        {
            // Byte arrays and BIGINTs: the only types of the files' columns.
            for (var i = 0; i < columns.Count; i++)
            {
                if (columns[i].IsByteArray)
                {
                    writer.Column(i).Append(reader.GetBytes(i));
                }
                else
                {
                    writer.Column(i).Append(reader.GetInt64(i));
                }
            }

            writer.EndRow();
            rows++;
        }

        return rows;
    }

    /// <summary>
    /// Writes granularity <paramref name="g"/> of the computed rows as <paramref name="parts"/> parts at the
    /// same time (each a range of campaigns of about the same bytes), or as one file; returns the rows written.
    /// </summary>
    private long WriteParts(ParquetWriterPool pool, string directory, int parts, int g)
    {
        var granularity = BatchViewFiles.Granularities[g];
        if (parts == 1)
        {
            return WriteFile(pool, g, BatchViewFiles.PathOf(directory, granularity), 0, _campaigns.Count);
        }

        var bounds = _spool.SplitCampaigns(g, _campaigns.Count, parts);
        var writes = new Task<long>[bounds.Length - 1];
        for (var k = 0; k < writes.Length; k++)
        {
            var (part, from, to) = (k, bounds[k], bounds[k + 1]);
            writes[k] = Task.Run(() => WriteFile(pool, g, BatchViewFiles.PartPathOf(directory, granularity, part), from, to));
        }

        // Every part finishes before the caller goes on (never a write over a freed spool), then errors surface.
        WaitForAll(writes);
        return writes.Sum(t => t.GetAwaiter().GetResult());
    }

    /// <summary>
    /// Validates (<see cref="BatchViewValidator"/>) and writes the files into <paramref name="directory"/>
    /// at the same time when it can: the minute file in <paramref name="minuteParts"/> parts and the hour and
    /// day files written at once on other threads while this thread validates. Frees the spool. The files
    /// are written even when validation fails: the caller deletes the staging directory then.
    /// </summary>
    public (IReadOnlyList<string> Problems, long Minute, long Hour, long Day) ValidateAndWrite(
        IReadOnlyList<DayTotals> days, long watermarkMs, string directory, int minuteParts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minuteParts, 1);
        try
        {
            if (!CanWriteElsewhere)
            {
                var problems = Timings.Measure("validate", () => Validate(days, watermarkMs));
                var (m, h, d) = problems.Count > 0 ? (0L, 0L, 0L) : WriteParquet(directory);
                return (problems, m, h, d);
            }

            var pool = new ParquetWriterPool(BatchViewFiles.Columns, _format);
            return Timings.Measure("validate+write", () =>
            {
                var counts = new long[3];
                // Wall times only: the writes overlap the validation, whose CPU the process counters would share.
                Task[] writing =
                [
                    Task.Run(() => Timings.Add("write minute", Wall(() => counts[0] = WriteParts(pool, directory, minuteParts, 0)))),
                    Task.Run(() => Timings.Add("write hour+day", Wall(() =>
                    {
                        counts[1] = WriteFile(pool, 1, BatchViewFiles.PathOf(directory, "hour"), 0, _campaigns.Count);
                        counts[2] = WriteFile(pool, 2, BatchViewFiles.PathOf(directory, "day"), 0, _campaigns.Count);
                    }))),
                ];
                IReadOnlyList<string> found = [];
                try
                {
                    Timings.Add("validate", Wall(() => found = Validate(days, watermarkMs)));
                }
                finally
                {
                    // Never leave a write running over a spool about to be freed.
                    WaitForAll(writing);
                }

                foreach (var write in writing)
                {
                    write.GetAwaiter().GetResult();
                }

                return (found, counts[0], counts[1], counts[2]);
            });
        }
        finally
        {
            ReleaseRows();
        }
    }

    /// <summary>Waits until every task has ended, failed ones included, without throwing (the caller surfaces errors).</summary>
    private static void WaitForAll(IEnumerable<Task> tasks) =>
        Task.WaitAll([.. tasks.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))]);

    private static TimeSpan Wall(Action work)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        work();
        return System.Diagnostics.Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Frees the spooled rows (after the last read of <c>final_rows</c>).</summary>
    public void ReleaseRows() => _spool.Clear();

    /// <summary>Runs statements in order, none polling DuckDB in a busy loop (they share the cores with the C# row building).</summary>
    private void ExecuteEach(IReadOnlyList<string> statements)
    {
        foreach (var statement in statements)
        {
            _connection.ExecuteWithoutSpinning(statement);
        }
    }

    private IReadOnlyList<string> Validate(IReadOnlyList<DayTotals> days, long watermarkMs) =>
        BatchViewValidator.Validate(_connection, days, watermarkMs, _spool.Groups(watermarkMs), _campaigns);

    /// <summary>The connection, for validation queries.</summary>
    public DuckDbConnection Connection => _connection;
}

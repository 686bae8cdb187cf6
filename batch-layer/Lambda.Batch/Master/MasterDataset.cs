using System.Globalization;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.IO;
using Lambda.SharedModel.Time;

namespace Lambda.Batch.Master;

/// <summary>
/// The master dataset: every valid event of the log as Parquet, one folder per topic and event
/// date, each file named by the log partition and offset range it was archived from:
/// <c>&lt;root&gt;/&lt;topic&gt;/date=YYYY-MM-DD/p&lt;partition&gt;-&lt;from&gt;-&lt;to&gt;.parquet</c>
/// (offsets zero-padded to 20 digits, <c>to</c> exclusive). Files are zstd-compressed.
/// A file is visible only once renamed into place, and counts only once the manifest
/// (<see cref="ManifestFileName"/>) covers its offset range.
/// </summary>
public static class MasterDataset
{
    public const string ManifestFileName = "_manifest.json";

    /// <summary>
    /// The columns of every master file, in order, as DuckDB types. Served-only columns are NULL
    /// for views and clicks. <c>user_hash</c> is <see cref="SharedModel.Sketches.UserHash"/> of the
    /// user id, so the batch layer builds the speed layer's sketches in SQL. <c>ip_hi</c>/<c>ip_lo</c>
    /// are the two halves of <see cref="SharedModel.Bots.IpKey"/> (IPv4 mapped into IPv6), NULL when the ip
    /// does not parse, so bot ranges apply as integer comparisons. Freezing this list is a golden test.
    /// </summary>
    public static readonly IReadOnlyList<(string Name, string Type)> Columns =
    [
        ("event_id", "VARCHAR"),
        ("ad_id", "VARCHAR"),
        ("campaign_id", "VARCHAR"),
        ("advertiser_id", "VARCHAR"),
        ("user_id", "VARCHAR"),
        ("user_hash", "UBIGINT"),
        ("ip", "VARCHAR"),
        ("ip_hi", "UBIGINT"),
        ("ip_lo", "UBIGINT"),
        ("user_agent", "VARCHAR"),
        ("placement", "VARCHAR"),
        ("score", "DOUBLE"),
        ("cost_micros", "BIGINT"),
        ("event_time_ms", "BIGINT"),
        ("log_partition", "INTEGER"),
        ("log_offset", "BIGINT"),
        ("log_time_ms", "BIGINT"),
    ];

    /// <summary>The CREATE TABLE column list for a staging table of this shape.</summary>
    public static string ColumnDefinitions => string.Join(", ", Columns.Select(c => $"{c.Name} {c.Type}"));

    /// <summary>The folder of one topic's files.</summary>
    public static string TopicDirectory(string root, string topic) => Path.Combine(root, topic);

    /// <summary>
    /// Exclusive ownership of a master dataset for one archive or backfill: a lock on <c>&lt;root&gt;.lock</c>,
    /// beside the root, so a backfill can rename the root while holding it.
    /// </summary>
    /// <exception cref="FileLockHeldException">Another archive or backfill holds it.</exception>
    public static FileLock Lock(string root)
    {
        var full = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        return FileLock.Acquire(full + ".lock", $"the master dataset '{full}' (an archive or backfill)");
    }

    /// <summary>The folder of one topic's files for one event date (UTC).</summary>
    public static string DateDirectory(string root, string topic, DateOnly date) =>
        Path.Combine(root, topic, "date=" + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    /// <summary>A file's name for log partition <paramref name="partition"/>, offsets [from, to).</summary>
    public static string FileName(int partition, long fromOffset, long toOffset) =>
        string.Create(CultureInfo.InvariantCulture, $"p{partition}-{fromOffset:D20}-{toOffset:D20}.parquet");

    /// <summary>Parses a file name made by <see cref="FileName"/>.</summary>
    public static bool TryParseFileName(string fileName, out int partition, out long fromOffset, out long toOffset)
    {
        partition = 0;
        fromOffset = toOffset = 0;
        var parts = Path.GetFileNameWithoutExtension(fileName).Split('-');
        return parts.Length == 3 && parts[0].StartsWith('p')
            && int.TryParse(parts[0].AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out partition)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out fromOffset)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out toOffset)
            && Path.GetExtension(fileName) == ".parquet";
    }

    /// <summary>A glob over every file of one topic, for DuckDB's read_parquet with hive partitioning.</summary>
    public static string Glob(string root, string topic) => Path.Combine(root, topic, "*", "*.parquet");

    /// <summary>
    /// Where a run writes files before renaming them into their date folders: inside the root, so on the
    /// same file system (a rename is atomic), and outside every <see cref="Glob"/>. Deleted on every start.
    /// </summary>
    public static string StagingDirectory(string root) => Path.Combine(root, "_staging");

    /// <summary>The UTC date of an event time (Unix epoch milliseconds): the date folder it belongs in.</summary>
    public static DateOnly EventDate(long eventTimeMs) =>
        DateOnly.FromDayNumber(UnixEpochDayNumber + (int)Math.Floor(eventTimeMs / (double)Granularities.DayMs));

    /// <summary>The first millisecond of <paramref name="date"/> (UTC), Unix epoch milliseconds.</summary>
    public static long DateStartMs(DateOnly date) => (long)(date.DayNumber - UnixEpochDayNumber) * Granularities.DayMs;

    /// <summary>Parses a date folder name made by <see cref="DateDirectory"/> ("date=YYYY-MM-DD").</summary>
    public static bool TryParseDateDirectory(string directoryName, out DateOnly date)
    {
        date = default;
        return directoryName.StartsWith("date=", StringComparison.Ordinal)
            && DateOnly.TryParseExact(directoryName.AsSpan(5), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    /// <summary>The dates that have a folder under <paramref name="topic"/>, in order.</summary>
    public static IReadOnlyList<DateOnly> Dates(string root, string topic)
    {
        var directory = TopicDirectory(root, topic);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var dates = new List<DateOnly>();
        foreach (var child in Directory.EnumerateDirectories(directory))
        {
            if (TryParseDateDirectory(Path.GetFileName(child), out var date))
            {
                dates.Add(date);
            }
        }

        dates.Sort();
        return dates;
    }

    /// <summary>Rows of one topic's files (from the Parquet footers); 0 if the topic has no folder.</summary>
    public static long CountRows(string root, string topic)
    {
        if (!Directory.Exists(TopicDirectory(root, topic)) || !Directory.EnumerateFiles(TopicDirectory(root, topic), "*.parquet", SearchOption.AllDirectories).Any())
        {
            return 0;
        }

        using var database = Lambda.DuckDb.DuckDbDatabase.OpenInMemory();
        using var connection = database.Connect();
        using var reader = connection.Query($"SELECT count(*) FROM read_parquet({Lambda.DuckDb.DuckDbSql.Literal(Glob(root, topic))}, hive_partitioning = false)");
        return reader.Read() ? reader.GetInt64(0) : 0;
    }

    private static readonly int UnixEpochDayNumber = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    /// <summary>The event topics the master dataset holds (dead letters are not master data).</summary>
    public static IReadOnlyList<string> TopicsArchived => Topics.EventTopics;
}

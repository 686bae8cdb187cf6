using System.Globalization;
using Lambda.Batch.ParquetFiles;
using Lambda.DuckDb;
using Lambda.SharedModel.Views;

namespace Lambda.Batch.Recompute;

/// <summary>
/// The Parquet files of a batch view version, in the version's folder: per granularity (minute, hour,
/// day) either one file <c>minute.parquet</c> or ordered parts <c>minute-0.parquet</c>, <c>minute-1.parquet</c>, …
/// (written in parallel: each part holds a range of campaigns, so the parts in number order are the
/// granularity's rows in order). Rows are ordered by campaign_id then bucket, with the columns
/// granularity, campaign_id, bucket_start_ms, impressions, views, clicks, spend_micros, bot_filtered,
/// late, unattributed, duplicates, uniques (exact) and uniques_sketch (the HyperLogLog sketch bytes).
/// Versions written before the parts existed have one file per granularity and stay readable.
/// </summary>
public static class BatchViewFiles
{
    /// <summary>The files' columns, in order: the one list the SQL column lists and tables are made from.</summary>
    internal static IReadOnlyList<ParquetColumn> Columns { get; } =
    [
        new("granularity", ParquetColumnType.Utf8), new("campaign_id", ParquetColumnType.Utf8),
        new("bucket_start_ms", ParquetColumnType.Int64), new("impressions", ParquetColumnType.Int64),
        new("views", ParquetColumnType.Int64), new("clicks", ParquetColumnType.Int64),
        new("spend_micros", ParquetColumnType.Int64), new("bot_filtered", ParquetColumnType.Int64),
        new("late", ParquetColumnType.Int64), new("unattributed", ParquetColumnType.Int64),
        new("duplicates", ParquetColumnType.Int64), new("uniques", ParquetColumnType.Int64),
        new("uniques_sketch", ParquetColumnType.Blob),
    ];

    /// <summary>The columns' names, in order, for a SELECT list.</summary>
    internal static string ColumnNames { get; } = string.Join(", ", Columns.Select(c => c.Name));

    /// <summary>The CREATE TABLE column list for rows of the files.</summary>
    internal static string ColumnDefinitions { get; } = string.Join(", ", Columns.Select(c => $"{c.Name} {c.SqlType}"));

    /// <summary>The granularities, in file order.</summary>
    public static IReadOnlyList<string> Granularities { get; } = ["minute", "hour", "day"];

    /// <summary>The single file of one granularity in a version folder.</summary>
    public static string PathOf(string versionDirectory, string granularity) =>
        Path.Combine(versionDirectory, granularity + ".parquet");

    /// <summary>Part <paramref name="part"/> of one granularity in a version folder.</summary>
    public static string PartPathOf(string versionDirectory, string granularity, int part) =>
        Path.Combine(versionDirectory, string.Create(CultureInfo.InvariantCulture, $"{granularity}-{part}.parquet"));

    /// <summary>
    /// The files holding one granularity's rows, in row order: the single file if there is one, else
    /// the parts by number (none if the granularity has no file).
    /// </summary>
    public static IReadOnlyList<string> PathsOf(string versionDirectory, string granularity)
    {
        var single = PathOf(versionDirectory, granularity);
        if (File.Exists(single))
        {
            return [single];
        }

        var parts = new List<string>();
        while (File.Exists(PartPathOf(versionDirectory, granularity, parts.Count)))
        {
            parts.Add(PartPathOf(versionDirectory, granularity, parts.Count));
        }

        return parts;
    }

    /// <summary>Every file of a version folder (all granularities, each in row order), as a DuckDB list literal.</summary>
    internal static string ListLiteral(IEnumerable<string> paths) => "[" + string.Join(", ", paths.Select(DuckDbSql.Literal)) + "]";

    /// <summary>
    /// Reads the rows of one granularity with bucket start in [fromMs, toMs), ordered by campaign then
    /// bucket. The result is materialized: read a day or so at a time.
    /// </summary>
    public static IReadOnlyList<BatchViewRow> ReadRows(DuckDbConnection connection, string versionDirectory, string granularity,
        long fromMs, long toMs)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var paths = PathsOf(versionDirectory, granularity);
        if (paths.Count == 0)
        {
            throw new FileNotFoundException($"no {granularity} file in {versionDirectory}", PathOf(versionDirectory, granularity));
        }

        using var statement = connection.Prepare($"""
            SELECT {ColumnNames}
            FROM read_parquet({ListLiteral(paths)})
            WHERE bucket_start_ms >= $1 AND bucket_start_ms < $2
            ORDER BY campaign_id, bucket_start_ms
            """);
        statement.BindInt64(1, fromMs);
        statement.BindInt64(2, toMs);
        using var reader = statement.Query();
        var rows = new List<BatchViewRow>();
        while (reader.Read())
        {
            var counts = new MetricCounts(reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6),
                reader.GetInt64(7), reader.GetInt64(8), reader.GetInt64(9), reader.GetInt64(10));
            rows.Add(new BatchViewRow(reader.GetString(1), reader.GetString(0), reader.GetInt64(2), counts, reader.GetInt64(11), reader.GetBlob(12)));
        }

        return rows;
    }
}

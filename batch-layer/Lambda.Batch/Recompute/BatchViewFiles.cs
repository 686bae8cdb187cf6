using Lambda.DuckDb;
using Lambda.SharedModel.Views;

namespace Lambda.Batch.Recompute;

/// <summary>
/// The Parquet files of a batch view version: <c>minute.parquet</c>, <c>hour.parquet</c> and
/// <c>day.parquet</c> in the version's folder, each ordered by campaign_id then bucket, with the columns
/// granularity, campaign_id, bucket_start_ms, impressions, views, clicks, spend_micros, bot_filtered,
/// late, unattributed, duplicates, uniques (exact) and uniques_sketch (the HyperLogLog sketch bytes).
/// </summary>
public static class BatchViewFiles
{
    /// <summary>The granularities, in file order.</summary>
    public static IReadOnlyList<string> Granularities { get; } = ["minute", "hour", "day"];

    /// <summary>The file of one granularity in a version folder.</summary>
    public static string PathOf(string versionDirectory, string granularity) =>
        Path.Combine(versionDirectory, granularity + ".parquet");

    /// <summary>
    /// Reads the rows of one granularity with bucket start in [fromMs, toMs), ordered by campaign then
    /// bucket. The result is materialized: read a day or so at a time.
    /// </summary>
    public static IReadOnlyList<BatchViewRow> ReadRows(DuckDbConnection connection, string versionDirectory, string granularity,
        long fromMs, long toMs)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var statement = connection.Prepare($"""
            SELECT {ExactViewComputation.RowColumns}
            FROM read_parquet({DuckDbSql.Literal(PathOf(versionDirectory, granularity))})
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

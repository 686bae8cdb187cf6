using Lambda.SharedModel.Views;
using Npgsql;

namespace Lambda.Store.Postgres;

/// <summary>Maps result rows (in the column order of <see cref="PostgresSql"/>) to view types.</summary>
internal static class PostgresRows
{
    public static CampaignInfo Campaign(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1));

    /// <summary>A row of the speed read columns: bucket, partition, counts, sketch, final.</summary>
    public static SpeedViewRow SpeedRow(NpgsqlDataReader r, string campaignId) => new(
        campaignId, r.GetInt64(0), r.GetInt32(1), Counts(r, 2), r.GetFieldValue<byte[]>(10), r.GetBoolean(11));

    /// <summary>A row of the batch read columns: bucket, counts, uniques, sketch.</summary>
    public static BatchViewRow BatchRow(NpgsqlDataReader r, string campaignId, string granularity) => new(
        campaignId, granularity, r.GetInt64(0), Counts(r, 1), r.GetInt64(9), r.GetFieldValue<byte[]>(10));

    public static BatchVersionInfo Version(NpgsqlDataReader r) => new(
        r.GetInt64(0), r.GetInt64(1), r.GetFieldValue<DateTimeOffset>(2), r.GetString(3), r.GetInt64(4), r.GetString(5));

    public static SpeedPartitionStatus Status(NpgsqlDataReader r) => new(
        r.GetInt32(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetDouble(4), r.GetInt64(5), r.GetInt64(6),
        r.GetInt64(7), r.GetInt64(8), r.GetInt64(9), r.GetInt64(10), r.GetFieldValue<DateTimeOffset>(11), r.GetInt64(12), r.GetInt64(13));

    private static MetricCounts Counts(NpgsqlDataReader r, int first) => new(
        r.GetInt64(first), r.GetInt64(first + 1), r.GetInt64(first + 2), r.GetInt64(first + 3),
        r.GetInt64(first + 4), r.GetInt64(first + 5), r.GetInt64(first + 6), r.GetInt64(first + 7));
}

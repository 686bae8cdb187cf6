using Lambda.SharedModel.Views;
using Microsoft.Data.Sqlite;

namespace Lambda.Store.Sqlite;

/// <summary>Maps result rows (in the column order of <see cref="SqliteSql"/>) to view types, and back.</summary>
internal static class SqliteRows
{
    private static readonly long UnixEpochTicks = DateTimeOffset.UnixEpoch.UtcTicks;

    public static CampaignInfo Campaign(SqliteDataReader r) => new(r.GetString(0), r.GetString(1));

    /// <summary>A row of the speed read columns: bucket, partition, counts, sketch, final.</summary>
    public static SpeedViewRow SpeedRow(SqliteDataReader r, string campaignId) => new(
        campaignId, r.GetInt64(0), r.GetInt32(1), Counts(r, 2), r.GetFieldValue<byte[]>(10), r.GetInt64(11) != 0);

    /// <summary>A row of the batch read columns: bucket, counts, uniques, sketch.</summary>
    public static BatchViewRow BatchRow(SqliteDataReader r, string campaignId, string granularity) => new(
        campaignId, granularity, r.GetInt64(0), Counts(r, 1), r.GetInt64(9), r.GetFieldValue<byte[]>(10));

    public static BatchVersionInfo Version(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetInt64(1), FromUnixMicros(r.GetInt64(2)), r.GetString(3), r.GetInt64(4), r.GetString(5));

    public static SpeedPartitionStatus Status(SqliteDataReader r) => new(
        r.GetInt32(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetDouble(4), r.GetInt64(5), r.GetInt64(6),
        r.GetInt64(7), r.GetInt64(8), r.GetInt64(9), r.GetInt64(10), FromUnixMicros(r.GetInt64(11)), r.GetInt64(12), r.GetInt64(13));

    /// <summary>Sets the eight counter parameters starting at <paramref name="first"/>.</summary>
    public static void BindCounts(SqliteParameterCollection p, int first, in MetricCounts c)
    {
        p[first].Value = c.Impressions;
        p[first + 1].Value = c.Views;
        p[first + 2].Value = c.Clicks;
        p[first + 3].Value = c.SpendMicros;
        p[first + 4].Value = c.BotFiltered;
        p[first + 5].Value = c.Late;
        p[first + 6].Value = c.Unattributed;
        p[first + 7].Value = c.Duplicates;
    }

    /// <summary>Microseconds since the Unix epoch: the precision both stores keep.</summary>
    public static long ToUnixMicros(DateTimeOffset at) => (at.UtcTicks - UnixEpochTicks) / 10;

    public static DateTimeOffset FromUnixMicros(long micros) => new(UnixEpochTicks + (micros * 10), TimeSpan.Zero);

    private static MetricCounts Counts(SqliteDataReader r, int first) => new(
        r.GetInt64(first), r.GetInt64(first + 1), r.GetInt64(first + 2), r.GetInt64(first + 3),
        r.GetInt64(first + 4), r.GetInt64(first + 5), r.GetInt64(first + 6), r.GetInt64(first + 7));
}

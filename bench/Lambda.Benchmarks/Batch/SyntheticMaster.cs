using System.Globalization;
using Lambda.Batch.Master;
using Lambda.DuckDb;
using Lambda.SharedModel.Time;

namespace Lambda.Benchmarks.Batch;

/// <summary>
/// A master dataset of the documented schema made straight in DuckDB SQL (the generator's JSON path is far
/// too slow for 100M events): 1,000 campaigns of 10 ads, 2M users, 76% served / 23% views / 1% clicks,
/// 2% bots (a bot ip range or a bot user agent), 1% resent event ids, spread evenly over the days, one file
/// per topic, date and partition. user_hash is DuckDB's hash of the user id, not XxHash64: the recompute
/// treats it as opaque bits, so the work is the same.
/// </summary>
internal static class SyntheticMaster
{
    public static void Write(string masterRoot, long events, int days)
    {
        using var db = DuckDbDatabase.OpenInMemory(new DuckDbOptions { Threads = 2, MemoryLimit = "6GB" });
        using var connection = db.Connect();
        var perDay = events / days;
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        for (var d = 0; d < days; d++)
        {
            var first = d * perDay;
            var dayStart = start + (d * Granularities.DayMs);
            connection.Execute(string.Create(CultureInfo.InvariantCulture, $"""
                CREATE OR REPLACE TABLE day AS
                WITH base AS (
                    SELECT i, hash(i) % 1000 AS k, hash(i * 3) % 10000 AS ad, hash(i * 5) % 2000000 AS u, hash(i * 7) % 100 AS b,
                           {dayStart} + ((i - {first}) * {Granularities.DayMs} // {perDay}) AS t
                    FROM range({first}, {first + perDay}) r(i))
                SELECT CASE WHEN k < 760 THEN 0 WHEN k < 990 THEN 1 ELSE 2 END AS kind,
                       'e' || CASE WHEN i % 100 = 7 THEN i - 1 ELSE i END AS event_id,
                       'ad-' || ad AS ad_id,
                       CASE WHEN k < 760 THEN 'campaign-' || (ad // 10) END AS campaign_id,
                       CASE WHEN k < 760 THEN 'advertiser-' || (ad // 100) END AS advertiser_id,
                       'user-' || u AS user_id,
                       hash('user-' || u) AS user_hash,
                       CASE WHEN b = 0 THEN '198.51.100.' || (u % 250) ELSE '10.' || (u % 250) || '.' || (u // 250 % 250) || '.7' END AS ip,
                       0::UBIGINT AS ip_hi,
                       (CASE WHEN b = 0 THEN 281473890083840 + (u % 250) ELSE 281470849400839 END)::UBIGINT AS ip_lo,
                       CASE WHEN b = 1 THEN 'Mozilla/5.0 (compatible; Googlebot/2.1)' ELSE 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0' END AS user_agent,
                       CASE WHEN k < 760 THEN 'feed' END AS placement,
                       CASE WHEN k < 760 THEN (i % 1000) / 1000.0 END AS score,
                       CASE WHEN k < 760 THEN 1000 + (i % 5000) END AS cost_micros,
                       t AS event_time_ms,
                       (hash(ad) % 4)::INTEGER AS log_partition,
                       i AS log_offset,
                       t + 7200000 AS log_time_ms
                FROM base
                """));
            var date = DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(dayStart).UtcDateTime);
            var columns = string.Join(", ", MasterDataset.Columns.Select(c => $"{c.Name}::{c.Type} AS {c.Name}"));
            for (var kind = 0; kind < 3; kind++)
            {
                var topic = MasterDataset.TopicsArchived[kind];
                var directory = MasterDataset.DateDirectory(masterRoot, topic, date);
                Directory.CreateDirectory(directory);
                for (var partition = 0; partition < 4; partition++)
                {
                    var path = Path.Combine(directory, MasterDataset.FileName(partition, first, first + perDay));
                    connection.Execute(string.Create(CultureInfo.InvariantCulture, $"""
                        COPY (SELECT {columns} FROM day WHERE kind = {kind} AND log_partition = {partition} ORDER BY log_offset)
                        TO {DuckDbSql.Literal(path)} (FORMAT parquet, COMPRESSION zstd)
                        """));
                }
            }
        }
    }
}

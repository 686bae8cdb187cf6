using System.Globalization;
using Lambda.Batch.Master;
using Lambda.DuckDb;
using Lambda.SharedModel.Bots;
using Lambda.SharedModel.Sketches;

namespace Lambda.Batch.Tests.Recompute.Fixtures;

/// <summary>
/// Writes master files of the documented schema (<see cref="MasterDataset.Columns"/>) from records, as
/// one archive run would: one file per topic, event date and partition, named by the run's offset range
/// of that partition. A stand-in for the archiver in tests and benchmarks.
/// </summary>
public static class MasterFixture
{
    /// <summary>Writes one archive run of <paramref name="records"/> under <paramref name="masterRoot"/>.</summary>
    public static void Write(string masterRoot, IReadOnlyCollection<MasterRecord> records)
    {
        using var db = DuckDbDatabase.OpenInMemory(new DuckDbOptions { Threads = 2 });
        using var connection = db.Connect();
        connection.Execute($"CREATE TABLE staging (topic VARCHAR, day VARCHAR, {MasterDataset.ColumnDefinitions})");
        using (var appender = connection.CreateAppender("staging"))
        {
            foreach (var r in records)
            {
                Append(appender, r);
            }

            appender.Close();
        }

        var ranges = records.GroupBy(r => (r.Topic, r.Partition))
            .ToDictionary(g => g.Key, g => (From: g.Min(r => r.Offset), To: g.Max(r => r.Offset) + 1));
        var files = records.Select(r => (r.Topic, Day: Day(r.Event.EventTimeMs), r.Partition)).Distinct().ToList();
        var columns = string.Join(", ", MasterDataset.Columns.Select(c => c.Name));
        foreach (var (topic, day, partition) in files)
        {
            var (from, to) = ranges[(topic, partition)];
            var directory = MasterDataset.DateDirectory(masterRoot, topic, DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture));
            Directory.CreateDirectory(directory);
            var path = Path.Combine(directory, MasterDataset.FileName(partition, from, to));
            connection.Execute($"""
                COPY (SELECT {columns} FROM staging
                      WHERE topic = {DuckDbSql.Literal(topic)} AND day = {DuckDbSql.Literal(day)} AND log_partition = {partition.ToString(CultureInfo.InvariantCulture)}
                      ORDER BY log_offset)
                TO {DuckDbSql.Literal(path)} (FORMAT parquet, COMPRESSION zstd)
                """);
        }
    }

    private static void Append(DuckDbAppender a, MasterRecord r)
    {
        var e = r.Event;
        a.AppendVarchar(r.Topic);
        a.AppendVarchar(Day(e.EventTimeMs));
        a.AppendVarchar(e.EventId);
        a.AppendVarchar(e.AdId);
        a.AppendVarchar(e.CampaignId);
        a.AppendVarchar(e.AdvertiserId);
        a.AppendVarchar(e.UserId);
        a.AppendUInt64(UserHash.Of(e.UserId));
        a.AppendVarchar(e.Ip);
        if (IpKey.TryParse(e.Ip.AsSpan(), out var key))
        {
            a.AppendUInt64((ulong)(key >> 64));
            a.AppendUInt64((ulong)key);
        }
        else
        {
            a.AppendNull();
            a.AppendNull();
        }

        a.AppendVarchar(e.UserAgent);
        a.AppendVarchar(e.Placement);
        if (e.Kind == SharedModel.Events.EventKind.Served)
        {
            a.AppendDouble(e.Score);
            a.AppendInt64(e.CostMicros);
        }
        else
        {
            a.AppendNull();
            a.AppendNull();
        }

        a.AppendInt64(e.EventTimeMs);
        a.AppendInt32(r.Partition);
        a.AppendInt64(r.Offset);
        a.AppendInt64(r.LogTimeMs);
        a.EndRow();
    }

    private static string Day(long eventTimeMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(eventTimeMs).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

using Lambda.DuckDb;
using Lambda.SharedModel.Sketches;

namespace Lambda.Batch.Recompute;

/// <summary>
/// Builds one day's minute, hour and day rows in one streaming pass over the day's attributed records,
/// sorted by (campaign, minute), and appends them to <c>final_rows</c>: the counters, the exact distinct
/// users (distinct <c>user_hash</c> values, exact because the day check proved the hash injective on the
/// day's user ids) and the sketches (each counted record's register raised in the minute, hour and day
/// sketch: the same registers a GROUP BY on each bucket gives). Replaces three GROUP BYs with
/// count(DISTINCT), a register GROUP BY and a join of sketches to rows.
/// </summary>
internal sealed class DayRowBuilder
{
    private const long HourMs = 3_600_000;
    private const long DayMs = 86_400_000;

    private readonly Bucket _minute = new("minute");
    private readonly Bucket _hour = new("hour");
    private readonly Bucket _day = new("day");
    private readonly byte[] _emptySketch = new HyperLogLog().ToBytes();
    private readonly List<ulong> _minuteUsers = [];

    /// <summary>Streams the day's records from <c>evc</c> and appends its rows; returns the number of rows appended.</summary>
    public long Build(DuckDbConnection connection)
    {
        var campaigns = new List<string>();
        using (var reader = connection.Query(ExactViewSql.SelectDayCampaigns))
        {
            while (reader.Read())
            {
                campaigns.Add(reader.GetString(0));
            }
        }

        if (campaigns.Count == 0)
        {
            return 0;
        }

        long rows = 0;
        using var appender = connection.CreateAppender("final_rows");
        using var records = connection.Query(ExactViewSql.SelectDayRecords);
        int cid = -1;
        long minuteMs = long.MinValue;
        while (records.Read())
        {
            var rowCid = records.GetInt32(0);
            var rowMinute = records.GetInt64(1);
            if (rowCid != cid || rowMinute != minuteMs)
            {
                if (cid >= 0)
                {
                    rows += Emit(appender, campaigns[cid], minuteMs, rowCid != cid, rowMinute);
                }

                cid = rowCid;
                minuteMs = rowMinute;
            }

            var kind = records.GetInt32(2);
            var counted = records.GetInt32(3);
            switch (counted)
            {
                case ExactViewSql.Bot:
                    _minute.Bots++;
                    break;
                case ExactViewSql.Duplicate:
                    _minute.Duplicates++;
                    break;
                default:
                    Count(kind, records);
                    break;
            }
        }

        if (cid >= 0)
        {
            rows += Emit(appender, campaigns[cid], minuteMs, campaignEnds: true, nextMinuteMs: long.MinValue);
        }

        appender.Close();
        return rows;
    }

    private void Count(int kind, DuckDbDataReader records)
    {
        switch (kind)
        {
            case 0:
                _minute.Impressions++;
                _minute.Spend += records.IsNull(4) ? 0 : records.GetInt64(4);
                break;
            case 1:
                _minute.Views++;
                break;
            default:
                _minute.Clicks++;
                break;
        }

        if (records.IsNull(5))
        {
            return;
        }

        var hash = records.GetUInt64(5);
        _minuteUsers.Add(hash);
        _hour.Users.Add(hash);
        _day.Users.Add(hash);
        HyperLogLog.Register(hash, out var index, out var rho);
        _minute.Registers.Add(index, rho);
        _hour.Registers.Add(index, rho);
        _day.Registers.Add(index, rho);
    }

    /// <summary>Ends the minute; also the hour when the next record is in another hour or campaign, and the day with the campaign.</summary>
    private long Emit(DuckDbAppender appender, string campaignId, long minuteMs, bool campaignEnds, long nextMinuteMs)
    {
        _minute.Uniques = DistinctCount(_minuteUsers);
        _minuteUsers.Clear();
        _hour.AddCounters(_minute);
        _day.AddCounters(_minute);
        Append(appender, _minute, campaignId, minuteMs);
        long rows = 1;
        var hourMs = Floor(minuteMs, HourMs);
        if (campaignEnds || Floor(nextMinuteMs, HourMs) != hourMs)
        {
            _hour.Uniques = _hour.Users.Count;
            Append(appender, _hour, campaignId, hourMs);
            rows++;
        }

        if (campaignEnds)
        {
            _day.Uniques = _day.Users.Count;
            Append(appender, _day, campaignId, Floor(minuteMs, DayMs));
            rows++;
        }

        return rows;
    }

    private void Append(DuckDbAppender appender, Bucket bucket, string campaignId, long bucketStartMs)
    {
        appender.AppendVarchar(bucket.Granularity);
        appender.AppendVarchar(campaignId);
        appender.AppendInt64(bucketStartMs);
        appender.AppendInt64(bucket.Impressions);
        appender.AppendInt64(bucket.Views);
        appender.AppendInt64(bucket.Clicks);
        appender.AppendInt64(bucket.Spend);
        appender.AppendInt64(bucket.Bots);
        appender.AppendInt64(0); // late: the exact layer has no late records
        appender.AppendInt64(0); // unattributed: such records are in no row
        appender.AppendInt64(bucket.Duplicates);
        appender.AppendInt64(bucket.Uniques);
        appender.AppendBlob(bucket.Registers.Count == 0 ? _emptySketch : bucket.Registers.ToBytes());
        appender.EndRow();
        bucket.Reset();
    }

    private static long DistinctCount(List<ulong> hashes)
    {
        if (hashes.Count <= 1)
        {
            return hashes.Count;
        }

        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(hashes);
        span.Sort();
        long distinct = 1;
        for (var i = 1; i < span.Length; i++)
        {
            if (span[i] != span[i - 1])
            {
                distinct++;
            }
        }

        return distinct;
    }

    private static long Floor(long ms, long unit) => ms - (((ms % unit) + unit) % unit);

    /// <summary>One bucket being built: counters, the users seen (hour and day) and the registers.</summary>
    private sealed class Bucket(string granularity)
    {
        public string Granularity { get; } = granularity;
        public long Impressions { get; set; }
        public long Views { get; set; }
        public long Clicks { get; set; }
        public long Spend { get; set; }
        public long Bots { get; set; }
        public long Duplicates { get; set; }
        public long Uniques { get; set; }
        public HashSet<ulong> Users { get; } = [];
        public SketchRegisters Registers { get; } = new();

        public void AddCounters(Bucket minute)
        {
            Impressions += minute.Impressions;
            Views += minute.Views;
            Clicks += minute.Clicks;
            Spend += minute.Spend;
            Bots += minute.Bots;
            Duplicates += minute.Duplicates;
        }

        public void Reset()
        {
            Impressions = Views = Clicks = Spend = Bots = Duplicates = Uniques = 0;
            Users.Clear();
            Registers.Clear();
        }
    }
}

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

    /// <summary>The column types of <c>final_rows</c>, in order.</summary>
    private static readonly DuckDbType[] RowTypes =
    [
        DuckDbType.Varchar, DuckDbType.Varchar, DuckDbType.BigInt, DuckDbType.BigInt, DuckDbType.BigInt, DuckDbType.BigInt,
        DuckDbType.BigInt, DuckDbType.BigInt, DuckDbType.BigInt, DuckDbType.BigInt, DuckDbType.BigInt, DuckDbType.BigInt,
        DuckDbType.Blob,
    ];

    private readonly Bucket _minute = new("minute"u8.ToArray());
    private readonly Bucket _hour = new("hour"u8.ToArray());
    private readonly Bucket _day = new("day"u8.ToArray());
    private readonly byte[] _emptySketch = new HyperLogLog().ToBytes();
    private readonly byte[] _sketch = new byte[SketchRegisters.MaxSerializedLength];
    private readonly List<ulong> _minuteUsers = [];

    /// <summary>
    /// Streams the day's records from <c>evc</c> chunk by chunk (column vectors, no call per value) and
    /// appends its rows in data chunks (no call per value either); returns the number of rows appended.
    /// </summary>
    public long Build(DuckDbConnection connection, RecomputeTimings timings)
    {
        var campaigns = new List<byte[]>();
        using var records = timings.Measure("day records query", () =>
        {
            using (var reader = connection.Query(ExactViewSql.SelectDayCampaigns))
            {
                while (reader.Read())
                {
                    campaigns.Add(reader.GetBytes(0).ToArray());
                }
            }

            return connection.Query(ExactViewSql.SelectDayRecords);
        });

        if (campaigns.Count == 0)
        {
            return 0;
        }

        return timings.Measure("rows+sketches", () =>
        {
            long rows = 0;
            using var appender = connection.CreateAppender("final_rows");
            using var chunk = new DuckDbDataChunk(RowTypes);
            int cid = -1;
            long minuteMs = long.MinValue;
            while (records.ReadChunk())
            {
                var n = records.ChunkRowCount;
                var cids = records.GetInt32Vector(0);
                var minutes = records.GetInt64Vector(1);
                var kinds = records.GetInt32Vector(2);
                var counts = records.GetInt32Vector(3);
                var costs = records.GetInt64Vector(4);
                var hashes = records.GetUInt64Vector(5);
                var costsValid = records.HasNoNulls(4);
                var hashesValid = records.HasNoNulls(5);
                for (var i = 0; i < n; i++)
                {
                    var rowCid = cids[i];
                    var rowMinute = minutes[i];
                    if (rowCid != cid || rowMinute != minuteMs)
                    {
                        if (cid >= 0)
                        {
                            rows += Emit(appender, chunk, campaigns[cid], minuteMs, rowCid != cid, rowMinute);
                        }

                        cid = rowCid;
                        minuteMs = rowMinute;
                    }

                    switch (counts[i])
                    {
                        case ExactViewSql.Bot:
                            _minute.Bots++;
                            break;
                        case ExactViewSql.Duplicate:
                            _minute.Duplicates++;
                            break;
                        default:
                            var cost = costsValid || !records.IsNullAt(4, i) ? costs[i] : 0;
                            bool hasUser = hashesValid || !records.IsNullAt(5, i);
                            Count(kinds[i], cost, hasUser, hasUser ? hashes[i] : 0);
                            break;
                    }
                }
            }

            if (cid >= 0)
            {
                rows += Emit(appender, chunk, campaigns[cid], minuteMs, campaignEnds: true, nextMinuteMs: long.MinValue);
            }

            Flush(appender, chunk);
            appender.Close();
            return rows;
        });
    }

    private void Count(int kind, long cost, bool hasUser, ulong hash)
    {
        switch (kind)
        {
            case 0:
                _minute.Impressions++;
                _minute.Spend += cost;
                break;
            case 1:
                _minute.Views++;
                break;
            default:
                _minute.Clicks++;
                break;
        }

        if (!hasUser)
        {
            return;
        }

        _minuteUsers.Add(hash);
        _hour.Users.Add(hash);
        _day.Users.Add(hash);
        HyperLogLog.Register(hash, out var index, out var rho);
        _minute.Registers.Add(index, rho);
        _hour.Registers.Add(index, rho);
        _day.Registers.Add(index, rho);
    }

    /// <summary>Ends the minute; also the hour when the next record is in another hour or campaign, and the day with the campaign.</summary>
    private long Emit(DuckDbAppender appender, DuckDbDataChunk chunk, byte[] campaignId, long minuteMs, bool campaignEnds, long nextMinuteMs)
    {
        _minute.Uniques = DistinctCount(_minuteUsers);
        _minuteUsers.Clear();
        _hour.AddCounters(_minute);
        _day.AddCounters(_minute);
        Append(appender, chunk, _minute, campaignId, minuteMs);
        long rows = 1;
        var hourMs = Floor(minuteMs, HourMs);
        if (campaignEnds || Floor(nextMinuteMs, HourMs) != hourMs)
        {
            _hour.Uniques = _hour.Users.Count;
            Append(appender, chunk, _hour, campaignId, hourMs);
            rows++;
        }

        if (campaignEnds)
        {
            _day.Uniques = _day.Users.Count;
            Append(appender, chunk, _day, campaignId, Floor(minuteMs, DayMs));
            rows++;
        }

        return rows;
    }

    private void Append(DuckDbAppender appender, DuckDbDataChunk chunk, Bucket bucket, byte[] campaignId, long bucketStartMs)
    {
        var row = chunk.Size;
        chunk.SetBytes(0, row, bucket.Granularity);
        chunk.SetBytes(1, row, campaignId);
        chunk.Int64Column(2)[row] = bucketStartMs;
        chunk.Int64Column(3)[row] = bucket.Impressions;
        chunk.Int64Column(4)[row] = bucket.Views;
        chunk.Int64Column(5)[row] = bucket.Clicks;
        chunk.Int64Column(6)[row] = bucket.Spend;
        chunk.Int64Column(7)[row] = bucket.Bots;
        chunk.Int64Column(8)[row] = 0; // late: the exact layer has no late records
        chunk.Int64Column(9)[row] = 0; // unattributed: such records are in no row
        chunk.Int64Column(10)[row] = bucket.Duplicates;
        chunk.Int64Column(11)[row] = bucket.Uniques;
        chunk.SetBytes(12, row, bucket.Registers.Count == 0 ? _emptySketch : _sketch.AsSpan(0, bucket.Registers.WriteTo(_sketch)));
        chunk.Size = row + 1;
        bucket.Reset();
        if (chunk.IsFull)
        {
            Flush(appender, chunk);
        }
    }

    private static void Flush(DuckDbAppender appender, DuckDbDataChunk chunk)
    {
        if (chunk.Size > 0)
        {
            appender.AppendChunk(chunk);
            chunk.Reset();
        }
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
    private sealed class Bucket(byte[] granularity)
    {
        public byte[] Granularity { get; } = granularity;
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

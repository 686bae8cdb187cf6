using Lambda.SharedModel.Sketches;
using Lambda.SharedModel.Time;

namespace Lambda.Batch.Recompute;

/// <summary>
/// Builds one day's minute, hour and day rows from the day's attributed records (<see cref="DayRecords"/>)
/// and adds them to a <see cref="DayRowSpool"/>: the records are put in (campaign, minute) order by two
/// counting sorts (minute, then campaign: linear, no comparison sort), then summed per minute and rolled
/// into the hour and the day. Uniques are exact distinct users: distinct <c>user_hash</c> values (exact
/// because the day check proved the hash injective on the day's user ids), counted per minute, hour and
/// day by a hash set each (<see cref="DistinctHashes"/>; sorting each level's hashes was half this pass). Sketches:
/// each counted record's register raised in its minute, hour and day sketch (the registers a GROUP BY on
/// each bucket gives).
/// </summary>
internal sealed class DayRowBuilder
{
    private const long MinuteMs = 60_000;
    private const long HourMs = 3_600_000;

    /// <summary>The counters a row carries in <see cref="DayRowSpool"/>: impressions, views, clicks, spend, bots, duplicates, uniques.</summary>
    public const int Counters = 7;

    private readonly Bucket _minute = new(0);
    private readonly Bucket _hour = new(1);
    private readonly Bucket _day = new(2);
    private readonly byte[] _emptySketch = new HyperLogLog().ToBytes();
    private readonly byte[] _sketch = new byte[SketchRegisters.MaxSerializedLength];
    private readonly DistinctHashes _minuteUsers = new();
    private readonly DistinctHashes _hourUsers = new();
    private readonly DistinctHashes _dayUsers = new();
    private int[] _counts = new int[2048];
    private DayRecord[] _byMinute = new DayRecord[4096];

    /// <summary>Adds the rows of <paramref name="records"/> to <paramref name="spool"/> as a new day; returns how many.</summary>
    public long Build(DayRecords records, DayRowSpool spool)
    {
        spool.BeginDay();
        if (records.Count == 0)
        {
            return 0;
        }

        var sorted = Sort(records);
        long rows = 0;
        int cid = sorted[0].Cid;
        long minuteMs = sorted[0].Minute;
        foreach (ref readonly var record in sorted)
        {
            var rowCid = record.Cid;
            var rowMinute = record.Minute;
            if (rowCid != cid || rowMinute != minuteMs)
            {
                rows += Emit(spool, cid, minuteMs, rowCid != cid, rowMinute);
                cid = rowCid;
                minuteMs = rowMinute;
            }

            var flag = record.Flags;
            switch (flag >> 2 & 3)
            {
                case ExactViewSql.Bot:
                    _minute.Bots++;
                    break;
                case ExactViewSql.Duplicate:
                    _minute.Duplicates++;
                    break;
                default:
                    Count(flag, record.Cost, record.Hash);
                    break;
            }
        }

        rows += Emit(spool, cid, minuteMs, campaignEnds: true, nextMinuteMs: long.MinValue);
        return rows;
    }

    /// <summary>
    /// The records in (campaign, minute) order, sorted in place: a stable counting sort by minute into a
    /// scratch array, then one by campaign back. The minute slots span the day's first to last minute
    /// (one day in a date folder). Whole records move, so every pass reads memory in order.
    /// </summary>
    private ReadOnlySpan<DayRecord> Sort(DayRecords records)
    {
        var n = records.Count;
        var slots = (records.MaxMinute - records.MinMinute) / MinuteMs + 1;
        if (slots > 1_000_000)
        {
            throw new InvalidDataException($"{records.Date:yyyy-MM-dd}: event times span {slots} minutes in one date folder");
        }

        if (_byMinute.Length < n)
        {
            _byMinute = new DayRecord[Math.Max(n, _byMinute.Length * 2)];
        }

        var input = records.Records;
        var byMinute = _byMinute.AsSpan(0, n);
        var min = records.MinMinute;
        var counts = Counts((int)slots);
        foreach (ref readonly var record in input)
        {
            counts[(int)((record.Minute - min) / MinuteMs) + 1]++;
        }

        Prefix(counts);
        foreach (ref readonly var record in input)
        {
            byMinute[counts[(int)((record.Minute - min) / MinuteMs)]++] = record;
        }

        counts = Counts(records.MaxCid + 1);
        foreach (ref readonly var record in byMinute)
        {
            counts[record.Cid + 1]++;
        }

        Prefix(counts);
        foreach (ref readonly var record in byMinute)
        {
            input[counts[record.Cid]++] = record;
        }

        return input;
    }

    private Span<int> Counts(int keys)
    {
        if (_counts.Length < keys + 1)
        {
            _counts = new int[keys + 1];
        }

        var counts = _counts.AsSpan(0, keys + 1);
        counts.Clear();
        return counts;
    }

    private static void Prefix(Span<int> counts)
    {
        for (var i = 1; i < counts.Length; i++)
        {
            counts[i] += counts[i - 1];
        }
    }

    private void Count(int flag, long cost, ulong hash)
    {
        switch (flag & DayRecords.KindMask)
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

        if ((flag & DayRecords.HasUser) == 0)
        {
            return;
        }

        _minuteUsers.Add(hash);
        _hourUsers.Add(hash);
        _dayUsers.Add(hash);
        HyperLogLog.Register(hash, out var index, out var rho);
        _minute.Registers.Add(index, rho);
        _hour.Registers.Add(index, rho);
        _day.Registers.Add(index, rho);
    }

    /// <summary>Ends the minute; also the hour when the next record is in another hour or campaign, and the day with the campaign.</summary>
    private long Emit(DayRowSpool spool, int cid, long minuteMs, bool campaignEnds, long nextMinuteMs)
    {
        _minute.Uniques = _minuteUsers.TakeCount();
        _hour.AddCounters(_minute);
        _day.AddCounters(_minute);
        Append(spool, _minute, cid, minuteMs);
        long rows = 1;
        var hourMs = Floor(minuteMs, HourMs);
        if (campaignEnds || Floor(nextMinuteMs, HourMs) != hourMs)
        {
            _hour.Uniques = _hourUsers.TakeCount();
            Append(spool, _hour, cid, hourMs);
            rows++;
        }

        if (campaignEnds)
        {
            _day.Uniques = _dayUsers.TakeCount();
            Append(spool, _day, cid, Floor(minuteMs, Granularities.DayMs));
            rows++;
        }

        return rows;
    }

    private void Append(DayRowSpool spool, Bucket bucket, int cid, long bucketStartMs)
    {
        Span<long> counters = [bucket.Impressions, bucket.Views, bucket.Clicks, bucket.Spend, bucket.Bots, bucket.Duplicates, bucket.Uniques];
        spool.Add(bucket.Granularity, cid, bucketStartMs, counters,
            bucket.Registers.Count == 0 ? _emptySketch : _sketch.AsSpan(0, bucket.Registers.WriteTo(_sketch)));
        bucket.Reset();
    }

    private static long Floor(long ms, long unit) => ms - (((ms % unit) + unit) % unit);

    /// <summary>One bucket being built: counters and registers.</summary>
    private sealed class Bucket(int granularity)
    {
        public int Granularity { get; } = granularity;
        public long Impressions { get; set; }
        public long Views { get; set; }
        public long Clicks { get; set; }
        public long Spend { get; set; }
        public long Bots { get; set; }
        public long Duplicates { get; set; }
        public long Uniques { get; set; }
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
            Registers.Clear();
        }
    }

}

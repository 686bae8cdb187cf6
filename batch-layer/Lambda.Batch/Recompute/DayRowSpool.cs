using System.Buffers;
using System.Buffers.Binary;
using Lambda.DuckDb;

namespace Lambda.Batch.Recompute;

/// <summary>
/// The rows <see cref="DayRowBuilder"/> made, kept compact in memory per (day, granularity) with where
/// each campaign's rows start, until every day is done; then appended to <c>computed_minute</c>,
/// <c>computed_hour</c> and <c>computed_day</c> campaign by campaign, day by day: the files' order, so
/// writing them needs no sort (sorting ~10M rows was most of the Parquet stage). A row is the bucket
/// start (8 bytes), the counters and uniques as zigzag varints, and the sketch (length-prefixed).
/// </summary>
internal sealed class DayRowSpool
{
    /// <summary>The computed row tables by granularity number.</summary>
    public static readonly string[] Tables = ["computed_minute", "computed_hour", "computed_day"];

    private static readonly DuckDbType[] RowTypes =
    [
        DuckDbType.Varchar, DuckDbType.BigInt, DuckDbType.BigInt, DuckDbType.BigInt, DuckDbType.BigInt,
        DuckDbType.BigInt, DuckDbType.BigInt, DuckDbType.BigInt, DuckDbType.BigInt, DuckDbType.Blob,
    ];

    private readonly List<Day> _days = [];
    private Day? _current;

    /// <summary>Starts the rows of the next day (days in date order).</summary>
    public void BeginDay()
    {
        _current = new Day();
        lock (_days)
        {
            _days.Add(_current);
        }
    }

    /// <summary>Adds a row of the current day; rows of a granularity come in campaign order.</summary>
    public void Add(int granularity, int cid, long bucketStartMs, ReadOnlySpan<long> counters, ReadOnlySpan<byte> sketch)
    {
        var day = _current!;
        var buffer = day.Buffers[granularity];
        day.Mark(granularity, cid);
        var span = buffer.GetSpan(8 + (counters.Length * 10) + 5 + sketch.Length);
        BinaryPrimitives.WriteInt64LittleEndian(span, bucketStartMs);
        var at = 8;
        foreach (var value in counters)
        {
            at += WriteVarint(span[at..], (ulong)((value << 1) ^ (value >> 63)));
        }

        at += WriteVarint(span[at..], (ulong)sketch.Length);
        sketch.CopyTo(span[at..]);
        buffer.Advance(at + sketch.Length);
    }

    /// <summary>Bytes held.</summary>
    public long Bytes => _days.Sum(d => d.Buffers.Sum(b => (long)b.WrittenCount));

    /// <summary>
    /// Appends every row to the three tables, campaign by campaign and day by day, with the campaign id
    /// text (<paramref name="campaigns"/> by number); frees the spool.
    /// </summary>
    public void AppendTo(DuckDbConnection connection, IReadOnlyList<byte[]> campaigns)
    {
        Span<long> counters = stackalloc long[DayRowBuilder.Counters];
        for (var g = 0; g < Tables.Length; g++)
        {
            using var appender = connection.CreateAppender(Tables[g]);
            using var chunk = new DuckDbDataChunk(RowTypes);
            for (var cid = 0; cid < campaigns.Count; cid++)
            {
                foreach (var day in _days)
                {
                    var (start, end) = day.Range(g, cid);
                    var rows = day.Buffers[g].WrittenSpan[start..end];
                    while (!rows.IsEmpty)
                    {
                        var bucket = BinaryPrimitives.ReadInt64LittleEndian(rows);
                        var at = 8;
                        for (var i = 0; i < counters.Length; i++)
                        {
                            var raw = ReadVarint(rows, ref at);
                            counters[i] = (long)(raw >> 1) ^ -(long)(raw & 1);
                        }

                        var length = (int)ReadVarint(rows, ref at);
                        var row = chunk.Size;
                        chunk.SetBytes(0, row, campaigns[cid]);
                        chunk.Int64Column(1)[row] = bucket;
                        for (var i = 0; i < counters.Length; i++)
                        {
                            chunk.Int64Column(2 + i)[row] = counters[i];
                        }

                        chunk.SetBytes(9, row, rows.Slice(at, length));
                        rows = rows[(at + length)..];
                        chunk.Size = row + 1;
                        if (chunk.IsFull)
                        {
                            appender.AppendChunk(chunk);
                            chunk.Reset();
                        }
                    }
                }
            }

            if (chunk.Size > 0)
            {
                appender.AppendChunk(chunk);
            }

            appender.Close();
        }

        _days.Clear();
    }

    private static int WriteVarint(Span<byte> destination, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> source, ref int at)
    {
        ulong value = 0;
        var shift = 0;
        byte b;
        do
        {
            b = source[at++];
            value |= (ulong)(b & 0x7F) << shift;
            shift += 7;
        }
        while (b >= 0x80);
        return value;
    }

    /// <summary>One day's rows: a buffer per granularity and each campaign's start in it.</summary>
    private sealed class Day
    {
        private readonly List<(int Cid, int Start)>[] _starts = [[], [], []];

        public ArrayBufferWriter<byte>[] Buffers { get; } = [new(), new(), new()];

        public void Mark(int granularity, int cid)
        {
            var starts = _starts[granularity];
            if (starts.Count == 0 || starts[^1].Cid != cid)
            {
                starts.Add((cid, Buffers[granularity].WrittenCount));
            }
        }

        /// <summary>The byte range of a campaign's rows (empty when it has none this day).</summary>
        public (int Start, int End) Range(int granularity, int cid)
        {
            var starts = _starts[granularity];
            var i = starts.BinarySearch((cid, 0), CidOrder.Instance);
            if (i < 0)
            {
                return (0, 0);
            }

            var end = i + 1 < starts.Count ? starts[i + 1].Start : Buffers[granularity].WrittenCount;
            return (starts[i].Start, end);
        }
    }

    private sealed class CidOrder : IComparer<(int Cid, int Start)>
    {
        public static readonly CidOrder Instance = new();

        public int Compare((int Cid, int Start) x, (int Cid, int Start) y) => x.Cid.CompareTo(y.Cid);
    }
}

using System.Buffers;
using System.Buffers.Binary;
using Lambda.Batch.ParquetFiles;
using Lambda.DuckDb;
using Lambda.SharedModel.IO;
using Lambda.SharedModel.Time;

namespace Lambda.Batch.Recompute;

/// <summary>
/// The rows <see cref="DayRowBuilder"/> made, kept compact in memory per (day, granularity) with where
/// each campaign's rows start, until every day is done; then written to the files campaign by campaign,
/// day by day (<see cref="WriteRows"/>: the files' order, no sort, no row inserted into a DuckDB table),
/// summed for the validation (<see cref="Groups"/>), and shown to SQL as <c>spool_rows(g)</c>
/// (<see cref="TableFunction"/>). A row is the bucket start (8 bytes), the counters and uniques as zigzag
/// varints, and the sketch (length-prefixed).
/// </summary>
internal sealed class DayRowSpool
{
    /// <summary>The table function's name.</summary>
    public const string FunctionName = "spool_rows";

    /// <summary>The columns <c>spool_rows</c> gives, in order (the files' columns less the constant ones).</summary>
    public static readonly DuckDbColumn[] Columns =
    [
        new("campaign_id", DuckDbType.Varchar), new("bucket_start_ms", DuckDbType.BigInt),
        new("impressions", DuckDbType.BigInt), new("views", DuckDbType.BigInt), new("clicks", DuckDbType.BigInt),
        new("spend_micros", DuckDbType.BigInt), new("bot_filtered", DuckDbType.BigInt), new("duplicates", DuckDbType.BigInt),
        new("uniques", DuckDbType.BigInt), new("uniques_sketch", DuckDbType.Blob),
    ];

    /// <summary>The fixed-width values of a row: the bucket start and the counters.</summary>
    private const int RowValues = 1 + DayRowBuilder.Counters;

    private readonly List<Day> _days = [];
    private Day? _current;

    /// <summary>Starts the rows of the next day (days in date order).</summary>
    public void BeginDay()
    {
        // Sized from the day before (days are alike), with an eighth to spare: a buffer grown by
        // doubling copies itself and touches fresh pages each time (a quarter of the run's page faults).
        _current = new Day(_current is { } previous ? [.. previous.Buffers.Select(b => b.WrittenCount + (b.WrittenCount / 8))] : null);
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
            at += Varint.Write(span[at..], Varint.ZigZag(value));
        }

        at += Varint.Write(span[at..], (ulong)sketch.Length);
        sketch.CopyTo(span[at..]);
        buffer.Advance(at + sketch.Length);
    }

    /// <summary>Bytes held.</summary>
    public long Bytes => _days.Sum(d => d.Buffers.Sum(b => (long)b.WrittenCount));

    /// <summary>
    /// Splits the campaigns 0..<paramref name="campaigns"/> into at most <paramref name="parts"/> ordered,
    /// non-empty ranges of about the same bytes of granularity <paramref name="granularity"/>; returns the
    /// range bounds (first 0, last <paramref name="campaigns"/>). The spool must be complete.
    /// </summary>
    public int[] SplitCampaigns(int granularity, int campaigns, int parts)
    {
        parts = Math.Clamp(parts, 1, Math.Max(1, campaigns));
        var bytes = new long[campaigns];
        foreach (var day in _days)
        {
            day.AddBytes(granularity, bytes);
        }

        var total = bytes.Sum();
        var bounds = new List<int> { 0 };
        long sum = 0;
        for (var cid = 0; cid < campaigns && bounds.Count < parts; cid++)
        {
            sum += bytes[cid];
            // Cut after the campaign that reaches the next share, leaving at least one campaign per remaining part.
            if (sum * parts >= total * bounds.Count && campaigns - (cid + 1) >= parts - bounds.Count)
            {
                bounds.Add(cid + 1);
            }
        }

        // Cuts stay below the campaign count, so this closes the last range (an empty one with no campaigns).
        bounds.Add(campaigns);
        return [.. bounds];
    }

    /// <summary>
    /// Appends the rows of granularity <paramref name="granularity"/> of the campaigns numbered
    /// [<paramref name="fromCid"/>, <paramref name="toCid"/>) to <paramref name="writer"/> in the files'
    /// columns (<see cref="BatchViewFiles.Columns"/>), campaign by campaign, day by day (the files' order);
    /// returns the rows. The spool must be complete; several writes may read it at once.
    /// </summary>
    public long WriteRows(int granularity, int fromCid, int toCid, IReadOnlyList<byte[]> campaigns, ParquetFileWriter writer)
    {
        var name = System.Text.Encoding.UTF8.GetBytes(BatchViewFiles.Granularities[granularity]);
        Span<long> row = stackalloc long[RowValues];
        long written = 0;
        for (var cid = fromCid; cid < toCid; cid++)
        {
            foreach (var day in _days)
            {
                var (start, end) = day.Range(granularity, cid);
                var rows = day.Buffers[granularity].WrittenSpan;
                for (var at = start; at < end;)
                {
                    at = ReadRow(rows, at, row, out var sketchLength);
                    writer.Column(0).Append(name);
                    writer.Column(1).Append(campaigns[cid]);
                    // bucket_start_ms .. bot_filtered, then late and unattributed (none in computed rows), then duplicates and uniques.
                    for (var i = 0; i < 6; i++)
                    {
                        writer.Column(2 + i).Append(row[i]);
                    }

                    writer.Column(8).Append(0L);
                    writer.Column(9).Append(0L);
                    writer.Column(10).Append(row[6]);
                    writer.Column(11).Append(row[7]);
                    writer.Column(12).Append(rows.Slice(at, sketchLength));
                    writer.EndRow();
                    at += sketchLength;
                    written++;
                }
            }
        }

        return written;
    }

    /// <summary>
    /// The table function <c>spool_rows(g)</c> over this spool (granularity g, all campaigns), campaigns named
    /// by <paramref name="campaigns"/> (by number): what SQL sees of the computed rows (<c>final_rows</c>, read
    /// when a run also copies days). Each scan reads the spool again; it must be complete.
    /// </summary>
    public DuckDbTableFunction TableFunction(IReadOnlyList<byte[]> campaigns) => new(FunctionName, Columns, (argument, columns) =>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(argument);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(argument, 2);
        return new SpoolScan(_days, (int)argument, campaigns, columns);
    });

    /// <summary>
    /// The sums the validation checks (<see cref="SpoolGroup"/>), per granularity, campaign and day of the
    /// bucket, read from the spooled rows: what the files get, one pass in C# instead of a scan of every row
    /// through DuckDB (which was a third of the validate+write stage). The spool must be complete.
    /// </summary>
    public List<SpoolGroup> Groups(long watermarkMs)
    {
        var groups = new List<SpoolGroup>();
        Span<long> row = stackalloc long[RowValues];
        foreach (var day in _days)
        {
            for (var g = 0; g < day.Buffers.Length; g++)
            {
                var rows = day.Buffers[g].WrittenSpan;
                foreach (var (cid, start, end) in day.Ranges(g))
                {
                    var group = new SpoolGroup { Granularity = g, Cid = cid, DayMs = long.MinValue };
                    for (var at = start; at < end;)
                    {
                        at = ReadRow(rows, at, row, out var sketchLength) + sketchLength;
                        var dayMs = TimeBucket.Floor(row[0], Granularity.Day).StartMs;
                        if (dayMs != group.DayMs)
                        {
                            if (group.Rows > 0)
                            {
                                groups.Add(group);
                            }

                            group = new SpoolGroup { Granularity = g, Cid = cid, DayMs = dayMs };
                        }

                        group.Add(row, watermarkMs);
                    }

                    if (group.Rows > 0)
                    {
                        groups.Add(group);
                    }
                }
            }
        }

        return groups;
    }

    /// <summary>Frees the rows.</summary>
    public void Clear() => _days.Clear();

    /// <summary>
    /// Decodes the row at <paramref name="at"/> into <paramref name="values"/> (bucket start, then the
    /// <see cref="DayRowBuilder.Counters"/> counters); returns where its sketch starts, of <paramref name="sketchLength"/> bytes.
    /// </summary>
    private static int ReadRow(ReadOnlySpan<byte> rows, int at, Span<long> values, out int sketchLength)
    {
        values[0] = BinaryPrimitives.ReadInt64LittleEndian(rows[at..]);
        at += 8;
        for (var i = 1; i < RowValues; i++)
        {
            values[i] = Varint.UnZigZag(Varint.ReadTrusted(rows, ref at));
        }

        sketchLength = (int)Varint.ReadTrusted(rows, ref at);
        return at;
    }

    /// <summary>One scan of a granularity's rows, campaign by campaign, day by day, a chunk at a time.</summary>
    private sealed class SpoolScan : IDuckDbTableScan
    {
        private readonly List<Day> _days;
        private readonly int _granularity;
        private readonly IReadOnlyList<byte[]> _campaigns;
        private readonly int[] _outputOf = new int[Columns.Length];
        // The fixed-width columns of a chunk (bucket, then the counters), decoded row by row and copied
        // into the output vectors column by column.
        private readonly long[][] _values = [.. Enumerable.Range(0, RowValues).Select(_ => new long[2048])];
        private readonly long[] _row = new long[RowValues];
        private int _cid;
        private int _day = -1;
        private int _at;
        private int _end;

        public SpoolScan(List<Day> days, int granularity, IReadOnlyList<byte[]> campaigns, int[] columns)
        {
            _days = days;
            _granularity = granularity;
            _campaigns = campaigns;
            Array.Fill(_outputOf, -1);
            for (var i = 0; i < columns.Length; i++)
            {
                if (columns[i] >= 0)
                {
                    _outputOf[columns[i]] = i;
                }
            }
        }

        public void Fill(DuckDbDataChunk output)
        {
            var capacity = Math.Min(output.Capacity, _values[0].Length);
            var row = 0;
            while (row < capacity && NextRange())
            {
                var rows = _days[_day].Buffers[_granularity].WrittenSpan;
                while (row < capacity && _at < _end)
                {
                    var at = ReadRow(rows, _at, _row, out var length);
                    for (var i = 0; i < _values.Length; i++)
                    {
                        _values[i][row] = _row[i];
                    }

                    if (_outputOf[0] >= 0)
                    {
                        output.SetBytes(_outputOf[0], row, _campaigns[_cid]);
                    }

                    if (_outputOf[^1] >= 0)
                    {
                        output.SetBytes(_outputOf[^1], row, rows.Slice(at, length));
                    }

                    _at = at + length;
                    row++;
                }
            }

            for (var i = 0; i < _values.Length; i++)
            {
                if (_outputOf[1 + i] >= 0)
                {
                    _values[i].AsSpan(0, row).CopyTo(output.Int64Column(_outputOf[1 + i]));
                }
            }

            output.Size = row;
        }

        /// <summary>Moves to the next non-empty (campaign, day) range; false at the end.</summary>
        private bool NextRange()
        {
            while (_at >= _end)
            {
                if (++_day >= _days.Count)
                {
                    _day = 0;
                    _cid++;
                }

                if (_cid >= _campaigns.Count || _days.Count == 0)
                {
                    return false;
                }

                (_at, _end) = _days[_day].Range(_granularity, _cid);
            }

            return true;
        }
    }

    /// <summary>One day's rows: a buffer per granularity and each campaign's start in it.</summary>
    private sealed class Day(int[]? capacities)
    {
        private readonly List<(int Cid, int Start)>[] _starts = [[], [], []];

        public ArrayBufferWriter<byte>[] Buffers { get; } = capacities is null
            ? [new(), new(), new()]
            : [.. capacities.Select(c => new ArrayBufferWriter<byte>(Math.Max(c, 256)))];

        public void Mark(int granularity, int cid)
        {
            var starts = _starts[granularity];
            if (starts.Count == 0 || starts[^1].Cid != cid)
            {
                starts.Add((cid, Buffers[granularity].WrittenCount));
            }
        }

        /// <summary>Adds the bytes of each campaign's rows of a granularity to <paramref name="bytes"/> (by campaign number).</summary>
        public void AddBytes(int granularity, long[] bytes)
        {
            var starts = _starts[granularity];
            for (var i = 0; i < starts.Count; i++)
            {
                var end = i + 1 < starts.Count ? starts[i + 1].Start : Buffers[granularity].WrittenCount;
                bytes[starts[i].Cid] += end - starts[i].Start;
            }
        }

        /// <summary>Each campaign's byte range of a granularity, in campaign order.</summary>
        public IEnumerable<(int Cid, int Start, int End)> Ranges(int granularity)
        {
            var starts = _starts[granularity];
            for (var i = 0; i < starts.Count; i++)
            {
                yield return (starts[i].Cid, starts[i].Start, i + 1 < starts.Count ? starts[i + 1].Start : Buffers[granularity].WrittenCount);
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

using System.Globalization;
using System.Runtime.ExceptionServices;
using Lambda.Batch.Master;
using Lambda.DuckDb;
using Lambda.SharedModel.Bots;
using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.IO;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Sketches;

namespace Lambda.Batch.Archive;

/// <summary>
/// Archives chunks of one log partition, streaming: a COPY to Parquet pulls its rows from a
/// <see cref="DuckDbTableFunction"/> whose scan reads the log and decodes each record straight into DuckDB's
/// output chunk; no table is built and no row is copied. That COPY writes the file of the chunk's first
/// event date; records of other dates (a chunk across midnight, late events) are only marked
/// (<see cref="OtherDates"/>) and written by one more COPY per date, which reads that date's offset range of
/// the log again and decodes only its records. Each file goes to the staging
/// folder, is fsynced and renamed into its date folder. The caller commits the chunk in the manifest afterwards.
/// One per worker: owns its reader, decoder, connection and scan. Everything runs on the worker's thread
/// (the database has one thread: DuckDB runs the COPY, and so the source, on the caller's), so the stage
/// timings are that thread's CPU time.
/// </summary>
internal sealed class PartitionArchiver : IDisposable
{
    // How long a read that finds nothing waits before the rest of the chunk is taken as a gap
    // (Kafka leaves offsets without records, e.g. transaction markers; the embedded log never does).
    private static readonly TimeSpan GapWait = TimeSpan.FromMilliseconds(500);

    private readonly string _root;
    private readonly TopicPartition _topicPartition;
    private readonly EventKind _kind;
    private readonly bool _served;
    private readonly EventDateRange? _dates;
    private readonly int _readBatchRecords;
    private readonly string _copyOptions;
    private readonly ILogReader _reader;
    private readonly DuckDbConnection _connection;
    private readonly string _function;
    private readonly EventDecoder _decoder = new();
    private readonly RecordBatch _batch;
    private readonly SortedSet<int> _dayNumbers = [];
    private readonly OtherDates _otherDates = new();
    private readonly DuckDbStringArena _arena = new();
    private readonly ArchiveTimings _timings;
    private StageClock _clock;
    private CancellationToken _cancellationToken;
    private ExceptionDispatchInfo? _failure;
    private bool _streaming;
    private bool _exhausted;
    private int _otherDate;
    private Action<long> _onRecordsRead = _ => { };
    private long _position;
    private long _to;
    private int _next;
    private int _batchCount;
    private long _reported;
    private int _streamDay;
    private long _read;
    private long _records;
    private long _invalid;
    private long _outOfRange;

    public PartitionArchiver(DuckDbDatabase database, ILogReader reader, string root, TopicPartition topicPartition,
        EventDateRange? dates, ArchiveOptions options, ArchiveTimings timings)
    {
        if (!Topics.TryGetKind(topicPartition.Topic, out _kind))
        {
            throw new ArgumentException($"'{topicPartition.Topic}' is not an event topic", nameof(topicPartition));
        }

        _root = root;
        _topicPartition = topicPartition;
        _served = _kind == EventKind.Served;
        _dates = dates;
        _readBatchRecords = options.ReadBatchRecords;
        _copyOptions = string.Create(CultureInfo.InvariantCulture,
            $"FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL {options.ZstdLevel}, ROW_GROUP_SIZE {options.RowGroupSize}");
        _timings = timings;
        _reader = reader;
        var batchRecords = Math.Min(_readBatchRecords, 65_536);
        // Sized for generated served records (≈ 520 B with the key) so the buffer is not regrown mid-run.
        _batch = new RecordBatch(batchRecords, batchRecords * 640);
        _connection = database.Connect();
        _function = string.Create(CultureInfo.InvariantCulture, $"archive_rows_{(int)_kind}_{topicPartition.Partition}");
        _connection.RegisterTableFunction(new DuckDbTableFunction(_function,
            [.. MasterDataset.Columns.Select((c, i) => new DuckDbColumn(c.Name, MasterColumns.Types[i]))], OpenScan));
    }

    /// <summary>Archives offsets [<paramref name="from"/>, <paramref name="to"/>): files are in place when it returns.</summary>
    public Task<ChunkOutcome> ArchiveChunkAsync(long from, long to, Action<long> onRecordsRead, CancellationToken cancellationToken)
    {
        _clock = new StageClock(_timings);
        _read = _records = _invalid = _outOfRange = _reported = 0;
        _dayNumbers.Clear();
        _otherDates.Reset(from, to);
        _streamDay = NoDay;
        _onRecordsRead = onRecordsRead;
        _cancellationToken = cancellationToken;

        var name = MasterDataset.FileName(_topicPartition.Partition, from, to);
        var staging = MasterDataset.StagingDirectory(_root);
        var files = new List<(int Day, string Path)>();

        // Pass over the log: the first date's rows go straight to its file, the others are spilled.
        _streaming = true;
        var streamed = Path.Combine(staging, $"{_topicPartition.Topic}.stream.{name}");
        Copy(streamed, from, to);
        ReportProgress();
        if (_streamDay == NoDay)
        {
            File.Delete(streamed);
        }
        else
        {
            files.Add((_streamDay, streamed));
        }

        _streaming = false;
        foreach (var index in Enumerable.Range(0, _otherDates.Count).OrderBy(_otherDates.Day).ToList())
        {
            _otherDate = index;
            var day = _otherDates.Day(index);
            _dayNumbers.Add(day);
            var path = Path.Combine(staging, string.Create(CultureInfo.InvariantCulture, $"{_topicPartition.Topic}.{day}.{name}"));
            var (first, end) = _otherDates.Range(index);
            Copy(path, first, end);
            files.Add((day, path));
        }

        var (count, bytes) = PlaceFiles(files, name);
        var dates = _dayNumbers.Select(DateOnly.FromDayNumber).ToList();
        return Task.FromResult(new ChunkOutcome(to, _read, _records, _invalid, _outOfRange, dates, count, bytes));
    }

    private const int NoDay = int.MinValue;

    /// <summary>Writes the rows of offsets [<paramref name="from"/>, <paramref name="to"/>) that the current pass takes to <paramref name="path"/>.</summary>
    private void Copy(string path, long from, long to)
    {
        _position = from;
        _to = to;
        _next = _batchCount = 0;
        _exhausted = false;
        _failure = null;
        _clock.Lap(ArchiveStage.Durable);
        try
        {
            _connection.Execute($"COPY (SELECT * FROM {DuckDbSql.Identifier(_function)}(0)) TO {DuckDbSql.Literal(path)} ({_copyOptions})");
        }
        catch (DuckDbException)
        {
            // The scan's own exception (a cancellation, a failed read) rather than DuckDB's copy of its message.
            var failure = _failure;
            _failure = null;
            failure?.Throw();
            throw;
        }

        _clock.Lap(ArchiveStage.Parquet);
    }

    private RowScan OpenScan(long argument, int[] projected)
    {
        // SELECT * of the COPY: every column, in schema order, as WriteRow fills them.
        for (var i = 0; i < projected.Length; i++)
        {
            if (projected[i] != i || projected.Length != MasterColumns.Types.Length)
            {
                throw new InvalidOperationException("the archive's scan fills every master column in order");
            }
        }

        return new RowScan(this);
    }

    /// <summary>The scan: the next rows of the file being written, decoded into <paramref name="chunk"/>; none at the end.</summary>
    private void Fill(DuckDbDataChunk chunk)
    {
        try
        {
            _clock.Lap(ArchiveStage.Parquet);
            // DuckDB asks for the next rows only once it is done with the previous ones (it copies what it keeps).
            _arena.Reset();
            // A pass over a batch may yield no rows (all invalid or of another date) without being the end.
            while (!_exhausted && chunk.Size == 0)
            {
                _exhausted = !FillFromLog(chunk);
            }

            _clock.Lap(ArchiveStage.Decode);
        }
        catch (Exception e)
        {
            _failure = ExceptionDispatchInfo.Capture(e);
            throw;
        }
    }

    private bool FillFromLog(DuckDbDataChunk chunk)
    {
        while (!chunk.IsFull)
        {
            if (_next >= _batchCount && !ReadBatch())
            {
                return false;
            }

            var record = _batch[_next];
            if (record.Offset >= _to)
            {
                _next = _batchCount;
                _position = _to;
                continue;
            }

            _next++;
            if (!_streaming)
            {
                if (_otherDates.Holds(_otherDate, record.Offset))
                {
                    // Decoded in the first pass with the same input and "now": it decodes alike.
                    _decoder.Decode(_kind, record.Value, record.TimestampMs, out var again);
                    WriteRow(chunk, chunk.Size, again, record.Offset, record.TimestampMs);
                    chunk.Size++;
                }

                continue;
            }

            _read++;
            if (!_decoder.Decode(_kind, record.Value, record.TimestampMs, out var ev).IsOk)
            {
                _invalid++;
                continue;
            }

            if (_dates is { } range && (ev.EventTimeMs < range.StartMs || ev.EventTimeMs >= range.EndMs))
            {
                _outOfRange++;
                continue;
            }

            _records++;
            var day = MasterDataset.EventDate(ev.EventTimeMs).DayNumber;
            if (_streamDay == NoDay)
            {
                _streamDay = day;
                _dayNumbers.Add(day);
            }

            if (day != _streamDay)
            {
                _otherDates.Add(day, record.Offset);
                continue;
            }

            WriteRow(chunk, chunk.Size, ev, record.Offset, record.TimestampMs);
            chunk.Size++;
        }

        return true;
    }

    /// <summary>Reads the next batch of the chunk from the log; false at the chunk's end or at a gap.</summary>
    private bool ReadBatch()
    {
        if (_streaming)
        {
            ReportProgress();
        }

        _next = _batchCount = 0;
        if (_position >= _to)
        {
            return false;
        }

        _cancellationToken.ThrowIfCancellationRequested();
        _clock.Lap(ArchiveStage.Decode);
        var want = (int)Math.Min(_readBatchRecords, _to - _position);
        // The scan's source is synchronous (DuckDB calls it); the embedded log completes these reads inline.
        _reader.ReadAsync(_topicPartition, _position, _batch, want, TimeSpan.Zero, _cancellationToken).AsTask().GetAwaiter().GetResult();
        if (_batch.Count == 0)
        {
            _reader.ReadAsync(_topicPartition, _position, _batch, want, GapWait, _cancellationToken).AsTask().GetAwaiter().GetResult();
        }

        _clock.Lap(ArchiveStage.LogRead);
        if (_batch.Count == 0)
        {
            return false;
        }

        _position = _batch.NextOffset;
        _batchCount = _batch.Count;
        return true;
    }

    private void ReportProgress()
    {
        if (_read > _reported)
        {
            _onRecordsRead(_read - _reported);
            _reported = _read;
        }
    }

    private void WriteRow(DuckDbDataChunk chunk, int row, in AdEvent ev, long offset, long logTimeMs)
    {
        chunk.SetBytes(MasterColumns.EventId, row, ev.EventId, _arena);
        chunk.SetBytes(MasterColumns.AdId, row, ev.AdId, _arena);
        chunk.SetBytes(MasterColumns.UserId, row, ev.UserId, _arena);
        chunk.UInt64Column(MasterColumns.UserHash)[row] = UserHash.Of(ev.UserId);
        chunk.SetBytes(MasterColumns.Ip, row, ev.Ip, _arena);
        if (IpKey.TryParse(ev.Ip, out var ip))
        {
            chunk.UInt64Column(MasterColumns.IpHi)[row] = (ulong)(ip >> 64);
            chunk.UInt64Column(MasterColumns.IpLo)[row] = (ulong)ip;
        }
        else
        {
            chunk.SetNull(MasterColumns.IpHi, row);
            chunk.SetNull(MasterColumns.IpLo, row);
        }

        chunk.SetBytes(MasterColumns.UserAgent, row, ev.UserAgent, _arena);
        if (_served)
        {
            chunk.SetBytes(MasterColumns.CampaignId, row, ev.CampaignId, _arena);
            chunk.SetBytes(MasterColumns.AdvertiserId, row, ev.AdvertiserId, _arena);
            chunk.SetBytes(MasterColumns.Placement, row, ev.Placement, _arena);
            chunk.DoubleColumn(MasterColumns.Score)[row] = ev.Score;
            chunk.Int64Column(MasterColumns.CostMicros)[row] = ev.CostMicros;
        }
        else
        {
            SetServedOnlyNull(chunk, row);
        }

        chunk.Int64Column(MasterColumns.EventTimeMs)[row] = ev.EventTimeMs;
        chunk.Int32Column(MasterColumns.LogPartition)[row] = _topicPartition.Partition;
        chunk.Int64Column(MasterColumns.LogOffset)[row] = offset;
        chunk.Int64Column(MasterColumns.LogTimeMs)[row] = logTimeMs;
    }

    private static void SetServedOnlyNull(DuckDbDataChunk chunk, int row)
    {
        if (row == 0)
        {
            // Once per chunk: a whole column of NULLs (rows past Size are never read).
            chunk.ValidityMask(MasterColumns.CampaignId).Clear();
            chunk.ValidityMask(MasterColumns.AdvertiserId).Clear();
            chunk.ValidityMask(MasterColumns.Placement).Clear();
            chunk.ValidityMask(MasterColumns.Score).Clear();
            chunk.ValidityMask(MasterColumns.CostMicros).Clear();
        }
    }

    /// <summary>Moves each staged file into its date folder as <paramref name="name"/>: fsync, rename, then fsync the folders.</summary>
    private (int Files, long Bytes) PlaceFiles(List<(int Day, string Path)> files, string name)
    {
        var topic = _topicPartition.Topic;
        var topicDirectory = MasterDataset.TopicDirectory(_root, topic);
        var newTopicDirectory = !Directory.Exists(topicDirectory);
        var newDateDirectories = false;
        long bytes = 0;
        var written = new List<string>();
        foreach (var (day, path) in files)
        {
            bytes += FsyncFile(path);
            var directory = MasterDataset.DateDirectory(_root, topic, DateOnly.FromDayNumber(day));
            if (!Directory.Exists(directory))
            {
                Directory.CreateDirectory(directory);
                newDateDirectories = true;
            }

            File.Move(path, Path.Combine(directory, name), overwrite: true);
            written.Add(directory);
        }

        foreach (var directory in written)
        {
            DurableFiles.FsyncDirectory(directory);
        }

        if (newDateDirectories)
        {
            DurableFiles.FsyncDirectory(topicDirectory);
        }

        if (newTopicDirectory && written.Count > 0)
        {
            DurableFiles.FsyncDirectory(_root);
        }

        _clock.Lap(ArchiveStage.Durable);
        return (written.Count, bytes);
    }

    private static long FsyncFile(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        file.Flush(flushToDisk: true);
        return file.Length;
    }

    public void Dispose()
    {
        _connection.Dispose();
        _arena.Dispose();
    }

    /// <summary>One COPY's scan of the archiver's current pass.</summary>
    private sealed class RowScan(PartitionArchiver archiver) : IDuckDbTableScan
    {
        public void Fill(DuckDbDataChunk output) => archiver.Fill(output);
    }
}

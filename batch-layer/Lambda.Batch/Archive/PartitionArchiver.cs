using System.Globalization;
using Lambda.Batch.Master;
using Lambda.Batch.ParquetFiles;
using Lambda.SharedModel.Bots;
using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.IO;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Sketches;

namespace Lambda.Batch.Archive;

/// <summary>
/// Archives chunks of one log partition in one pass: each record is read, decoded and appended to the
/// Parquet file of its event date (<see cref="ParquetFileWriter"/>, one open per date the chunk touches,
/// usually one), which encodes and compresses a row group whenever one is full. At the chunk's end each
/// file is completed and fsynced in the staging folder, then renamed into its date folder; the caller
/// commits the chunk in the manifest afterwards. One per partition: owns its reader and decoder, rents
/// writers from the run's pool, and runs on the worker's thread, so the stage timings are its CPU time.
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
    private readonly ArchiveOptions _options;
    private readonly ILogReader _reader;
    private readonly EventDecoder _decoder;
    private readonly RecordBatch _batch;
    private readonly ArchiveTimings _timings;
    private readonly SortedDictionary<int, DateFile> _files = [];
    private readonly ParquetWriterPool _writers;
    private StageClock _clock;

    public PartitionArchiver(ILogReader reader, string root, TopicPartition topicPartition, EventDateRange? dates,
        ArchiveOptions options, ParquetWriterPool writers, ArchiveTimings timings)
    {
        if (!Topics.TryGetKind(topicPartition.Topic, out _kind))
        {
            throw new ArgumentException($"'{topicPartition.Topic}' is not an event topic", nameof(topicPartition));
        }

        _root = root;
        _topicPartition = topicPartition;
        _served = _kind == EventKind.Served;
        _dates = dates;
        _options = options;
        _decoder = new EventDecoder((long)options.MaxFutureSkew.TotalMilliseconds);
        _writers = writers;
        _timings = timings;
        _reader = reader;
        var batchRecords = Math.Min(options.ReadBatchRecords, 65_536);
        // Sized for generated served records (≈ 520 B with the key) so the buffer is not regrown mid-run.
        _batch = new RecordBatch(batchRecords, batchRecords * 640);
    }

    /// <summary>Archives offsets [<paramref name="from"/>, <paramref name="to"/>): files are in place when it returns.</summary>
    public Task<ChunkOutcome> ArchiveChunkAsync(long from, long to, Action<long> onRecordsRead, CancellationToken cancellationToken)
    {
        _clock = new StageClock(_timings);
        var name = MasterDataset.FileName(_topicPartition.Partition, from, to);
        var counts = new ChunkCounts();
        try
        {
            var position = from;
            while (position < to && ReadBatch(position, to, cancellationToken))
            {
                position = Math.Min(_batch.NextOffset, to);
                var read = Append(to, name, ref counts);
                onRecordsRead(read);
                _clock.Lap(ArchiveStage.Decode);
            }

            var written = CompleteFiles();
            var (files, bytes) = PlaceFiles(written, name);
            var dates = written.Select(w => DateOnly.FromDayNumber(w.Day)).ToList();
            return Task.FromResult(new ChunkOutcome(to, counts.Read, counts.Records, counts.Invalid, counts.OutOfRange, dates, files, bytes));
        }
        finally
        {
            // After a failure: the files stay in staging, half written (the next run deletes staging).
            AbandonFiles();
        }
    }

    /// <summary>Reads the next records of [<paramref name="position"/>, <paramref name="to"/>); false at a gap.</summary>
    private bool ReadBatch(long position, long to, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _clock.Lap(ArchiveStage.Decode);
        var want = (int)Math.Min(_options.ReadBatchRecords, to - position);
        // The embedded log completes these reads inline.
        _reader.ReadAsync(_topicPartition, position, _batch, want, TimeSpan.Zero, cancellationToken).AsTask().GetAwaiter().GetResult();
        if (_batch.Count == 0)
        {
            _reader.ReadAsync(_topicPartition, position, _batch, want, GapWait, cancellationToken).AsTask().GetAwaiter().GetResult();
        }

        _clock.Lap(ArchiveStage.LogRead);
        return _batch.Count > 0;
    }

    /// <summary>Decodes the batch's records below <paramref name="to"/> into their dates' files; returns the records read.</summary>
    private long Append(long to, string name, ref ChunkCounts counts)
    {
        long read = 0;
        for (var i = 0; i < _batch.Count; i++)
        {
            var record = _batch[i];
            if (record.Offset >= to)
            {
                break;
            }

            read++;
            if (!_decoder.Decode(_kind, record.Value, record.TimestampMs, out var ev).IsOk)
            {
                counts.Invalid++;
                continue;
            }

            if (_dates is { } range && (ev.EventTimeMs < range.StartMs || ev.EventTimeMs >= range.EndMs))
            {
                counts.OutOfRange++;
                continue;
            }

            counts.Records++;
            var writer = FileOf(MasterDataset.EventDate(ev.EventTimeMs).DayNumber, name).Writer;
            WriteRow(writer, ev, record.Offset, record.TimestampMs);
            if (writer.EndRowWritesRowGroup)
            {
                // This row fills the row group: its encoding is the Parquet stage.
                _clock.Lap(ArchiveStage.Decode);
                writer.EndRow();
                _clock.Lap(ArchiveStage.Parquet);
            }
            else
            {
                writer.EndRow();
            }
        }

        counts.Read += read;
        return read;
    }

    private DateFile FileOf(int day, string name)
    {
        if (!_files.TryGetValue(day, out var file))
        {
            var path = Path.Combine(MasterDataset.StagingDirectory(_root),
                string.Create(CultureInfo.InvariantCulture, $"{_topicPartition.Topic}.{day}.{name}"));
            var writer = _writers.Rent();
            // Unbuffered: the writer hands over whole pages.
            var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
            writer.Start(stream);
            file = new DateFile(day, path, stream, writer);
            _files.Add(day, file);
        }

        return file;
    }

    private void WriteRow(ParquetFileWriter writer, in AdEvent ev, long offset, long logTimeMs)
    {
        writer.Column(MasterColumns.EventId).Append(ev.EventId);
        writer.Column(MasterColumns.AdId).Append(ev.AdId);
        writer.Column(MasterColumns.UserId).Append(ev.UserId);
        writer.Column(MasterColumns.UserHash).Append(UserHash.Of(ev.UserId));
        writer.Column(MasterColumns.Ip).Append(ev.Ip);
        if (IpKey.TryParse(ev.Ip, out var ip))
        {
            writer.Column(MasterColumns.IpHi).Append((ulong)(ip >> 64));
            writer.Column(MasterColumns.IpLo).Append((ulong)ip);
        }
        else
        {
            writer.Column(MasterColumns.IpHi).AppendNull();
            writer.Column(MasterColumns.IpLo).AppendNull();
        }

        writer.Column(MasterColumns.UserAgent).Append(ev.UserAgent);
        if (_served)
        {
            writer.Column(MasterColumns.CampaignId).Append(ev.CampaignId);
            writer.Column(MasterColumns.AdvertiserId).Append(ev.AdvertiserId);
            writer.Column(MasterColumns.Placement).Append(ev.Placement);
            writer.Column(MasterColumns.Score).Append(ev.Score);
            writer.Column(MasterColumns.CostMicros).Append(ev.CostMicros);
        }
        else
        {
            writer.Column(MasterColumns.CampaignId).AppendNull();
            writer.Column(MasterColumns.AdvertiserId).AppendNull();
            writer.Column(MasterColumns.Placement).AppendNull();
            writer.Column(MasterColumns.Score).AppendNull();
            writer.Column(MasterColumns.CostMicros).AppendNull();
        }

        writer.Column(MasterColumns.EventTimeMs).Append(ev.EventTimeMs);
        writer.Column(MasterColumns.LogPartition).Append(_topicPartition.Partition);
        writer.Column(MasterColumns.LogOffset).Append(offset);
        writer.Column(MasterColumns.LogTimeMs).Append(logTimeMs);
    }

    /// <summary>Completes every open file (last row group, footer) and fsyncs it; returns them in date order.</summary>
    private List<DateFile> CompleteFiles()
    {
        var written = _files.Values.ToList();
        foreach (var file in written)
        {
            file.Writer.Complete();
            _clock.Lap(ArchiveStage.Parquet);
            file.Stream.Flush(flushToDisk: true);
            file.Bytes = file.Stream.Length;
            file.Stream.Dispose();
            _clock.Lap(ArchiveStage.Durable);
        }

        _files.Clear();
        foreach (var file in written)
        {
            _writers.Return(file.Writer);
        }

        return written;
    }

    private void AbandonFiles()
    {
        foreach (var file in _files.Values)
        {
            file.Writer.Abandon();
            file.Stream.Dispose();
            _writers.Return(file.Writer);
        }

        _files.Clear();
    }

    /// <summary>Moves each completed file into its date folder as <paramref name="name"/>, then fsyncs the folders.</summary>
    private (int Files, long Bytes) PlaceFiles(List<DateFile> files, string name)
    {
        var topic = _topicPartition.Topic;
        var topicDirectory = MasterDataset.TopicDirectory(_root, topic);
        var newTopicDirectory = !Directory.Exists(topicDirectory);
        var newDateDirectories = false;
        var written = new List<string>();
        foreach (var file in files)
        {
            var directory = MasterDataset.DateDirectory(_root, topic, DateOnly.FromDayNumber(file.Day));
            if (!Directory.Exists(directory))
            {
                Directory.CreateDirectory(directory);
                newDateDirectories = true;
            }

            File.Move(file.Path, Path.Combine(directory, name), overwrite: true);
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
        return (written.Count, files.Sum(f => f.Bytes));
    }

    public void Dispose() => AbandonFiles();

    /// <summary>The file of one event date being written for the current chunk.</summary>
    private sealed class DateFile(int day, string path, FileStream stream, ParquetFileWriter writer)
    {
        public int Day { get; } = day;

        public string Path { get; } = path;

        public FileStream Stream { get; } = stream;

        public ParquetFileWriter Writer { get; } = writer;

        public long Bytes { get; set; }
    }

    /// <summary>The counts of one chunk.</summary>
    private struct ChunkCounts
    {
        public long Read;
        public long Records;
        public long Invalid;
        public long OutOfRange;
    }
}

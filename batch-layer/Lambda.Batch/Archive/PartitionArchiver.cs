using System.Globalization;
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
/// Archives chunks of one log partition: reads the records, decodes them, appends the valid ones to a
/// DuckDB staging table, writes one Parquet file per event date into the staging folder, fsyncs it and
/// renames it into its date folder. The caller commits the chunk in the manifest afterwards.
/// One per worker: owns its reader, decoder, connection and table.
/// </summary>
internal sealed class PartitionArchiver : IDisposable
{
    // How long a read that finds nothing waits before the rest of the chunk is taken as a gap
    // (Kafka leaves offsets without records, e.g. transaction markers; the embedded log never does).
    private static readonly TimeSpan GapWait = TimeSpan.FromMilliseconds(500);

    private static readonly string SelectColumns = string.Join(", ", MasterDataset.Columns.Select(c => c.Name));

    private readonly string _root;
    private readonly TopicPartition _topicPartition;
    private readonly EventKind _kind;
    private readonly EventDateRange? _dates;
    private readonly int _readBatchRecords;
    private readonly ILogReader _reader;
    private readonly DuckDbConnection _connection;
    private readonly string _tableName;
    private readonly string _table;
    private readonly EventDecoder _decoder = new();
    private readonly RecordBatch _batch;
    private readonly SortedSet<int> _dayNumbers = [];
    private long _read;
    private long _records;
    private long _invalid;
    private long _outOfRange;

    public PartitionArchiver(DuckDbDatabase database, ILogReader reader, string root, TopicPartition topicPartition,
        EventDateRange? dates, int readBatchRecords)
    {
        if (!Topics.TryGetKind(topicPartition.Topic, out _kind))
        {
            throw new ArgumentException($"'{topicPartition.Topic}' is not an event topic", nameof(topicPartition));
        }

        _root = root;
        _topicPartition = topicPartition;
        _dates = dates;
        _readBatchRecords = readBatchRecords;
        _reader = reader;
        _batch = new RecordBatch(Math.Min(readBatchRecords, 65_536), Math.Min(readBatchRecords, 65_536) * 320);
        _connection = database.Connect();
        _tableName = string.Create(CultureInfo.InvariantCulture, $"stage_{(int)_kind}_{topicPartition.Partition}");
        _table = DuckDbSql.Identifier(_tableName);
    }

    /// <summary>Archives offsets [<paramref name="from"/>, <paramref name="to"/>): files are in place when it returns.</summary>
    public async Task<ChunkOutcome> ArchiveChunkAsync(long from, long to, Action<long> onRecordsRead, CancellationToken cancellationToken)
    {
        _read = _records = _invalid = _outOfRange = 0;
        _dayNumbers.Clear();
        _connection.Execute($"CREATE OR REPLACE TABLE {_table} ({MasterDataset.ColumnDefinitions})");
        var position = from;
        using (var appender = _connection.CreateAppender(_tableName))
        {
            while (position < to)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var want = (int)Math.Min(_readBatchRecords, to - position);
                await _reader.ReadAsync(_topicPartition, position, _batch, want, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
                if (_batch.Count == 0)
                {
                    await _reader.ReadAsync(_topicPartition, position, _batch, want, GapWait, cancellationToken).ConfigureAwait(false);
                    if (_batch.Count == 0)
                    {
                        break;
                    }
                }

                var before = _read;
                position = Append(appender, to);
                onRecordsRead(_read - before);
            }

            appender.Close();
        }

        var (files, bytes) = WriteFiles(from, to);
        _connection.Execute($"DROP TABLE {_table}");
        var dates = _dayNumbers.Select(DateOnly.FromDayNumber).ToList();
        return new ChunkOutcome(to, _read, _records, _invalid, _outOfRange, dates, files, bytes);
    }

    /// <summary>Decodes and appends the batch's records below <paramref name="to"/>; returns the next offset to read.</summary>
    private long Append(DuckDbAppender appender, long to)
    {
        var lastDay = int.MinValue;
        for (var i = 0; i < _batch.Count; i++)
        {
            var record = _batch[i];
            if (record.Offset >= to)
            {
                return to;
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

            var day = MasterDataset.EventDate(ev.EventTimeMs).DayNumber;
            if (day != lastDay)
            {
                _dayNumbers.Add(day);
                lastDay = day;
            }

            AppendRow(appender, ev, record.Offset, record.TimestampMs);
            _records++;
        }

        return _batch.NextOffset;
    }

    private void AppendRow(DuckDbAppender appender, in AdEvent ev, long offset, long logTimeMs)
    {
        var served = _kind == EventKind.Served;
        appender.AppendVarchar(ev.EventId);
        appender.AppendVarchar(ev.AdId);
        AppendServedVarchar(appender, served, ev.CampaignId);
        AppendServedVarchar(appender, served, ev.AdvertiserId);
        appender.AppendVarchar(ev.UserId);
        appender.AppendUInt64(UserHash.Of(ev.UserId));
        appender.AppendVarchar(ev.Ip);
        if (IpKey.TryParse(ev.Ip, out var ip))
        {
            appender.AppendUInt64((ulong)(ip >> 64));
            appender.AppendUInt64((ulong)ip);
        }
        else
        {
            appender.AppendNull();
            appender.AppendNull();
        }

        appender.AppendVarchar(ev.UserAgent);
        AppendServedVarchar(appender, served, ev.Placement);
        if (served)
        {
            appender.AppendDouble(ev.Score);
            appender.AppendInt64(ev.CostMicros);
        }
        else
        {
            appender.AppendNull();
            appender.AppendNull();
        }

        appender.AppendInt64(ev.EventTimeMs);
        appender.AppendInt32(_topicPartition.Partition);
        appender.AppendInt64(offset);
        appender.AppendInt64(logTimeMs);
        appender.EndRow();
    }

    private static void AppendServedVarchar(DuckDbAppender appender, bool served, ReadOnlySpan<byte> value)
    {
        if (served)
        {
            appender.AppendVarchar(value);
        }
        else
        {
            appender.AppendNull();
        }
    }

    /// <summary>One file per event date: COPY into staging, fsync, rename into the date folder, fsync the folders.</summary>
    private (int Files, long Bytes) WriteFiles(long from, long to)
    {
        var topic = _topicPartition.Topic;
        var name = MasterDataset.FileName(_topicPartition.Partition, from, to);
        var staging = MasterDataset.StagingDirectory(_root);
        var topicDirectory = MasterDataset.TopicDirectory(_root, topic);
        var newTopicDirectory = !Directory.Exists(topicDirectory);
        var newDateDirectories = false;
        long bytes = 0;
        var written = new List<string>();
        foreach (var dayNumber in _dayNumbers)
        {
            var date = DateOnly.FromDayNumber(dayNumber);
            var staged = Path.Combine(staging, string.Create(CultureInfo.InvariantCulture, $"{topic}.{date:yyyy-MM-dd}.{name}"));
            _connection.Execute(string.Create(CultureInfo.InvariantCulture,
                $"COPY (SELECT {SelectColumns} FROM {_table} WHERE event_time_ms >= {MasterDataset.DateStartMs(date)} AND event_time_ms < {MasterDataset.DateStartMs(date.AddDays(1))}) TO {DuckDbSql.Literal(staged)} (FORMAT parquet, COMPRESSION zstd)"));
            bytes += FsyncFile(staged);

            var directory = MasterDataset.DateDirectory(_root, topic, date);
            if (!Directory.Exists(directory))
            {
                Directory.CreateDirectory(directory);
                newDateDirectories = true;
            }

            File.Move(staged, Path.Combine(directory, name), overwrite: true);
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

        return (written.Count, bytes);
    }

    private static long FsyncFile(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        file.Flush(flushToDisk: true);
        return file.Length;
    }

    public void Dispose() => _connection.Dispose();
}

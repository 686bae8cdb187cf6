using Lambda.SharedModel.Bots;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Views;
using Lambda.Speed.Output;
using Lambda.Speed.State;
using Microsoft.Extensions.Logging;

namespace Lambda.Speed.Processing;

/// <summary>
/// Drives one partition: reads its three topics, merges them in log-time order, feeds the
/// processor, writes changed rows every flush interval and checkpoints every checkpoint interval.
/// Flushes fall on a wall-clock grid of the flush interval (every partition flushes at the same
/// moments) and are handed to the view writer without waiting for the store, so processing goes on
/// while rows are written; one flush per partition is in flight at a time. A checkpoint waits for
/// its flush to be in the store, so the state it records never runs ahead of the speed view;
/// offsets are committed to the consumer group only after the checkpoint.
/// A worker lives while its process owns the partition: <see cref="StopAsync"/> hands the partition
/// on (flush, checkpoint, commit), <see cref="AbandonAsync"/> drops it when it is already lost.
/// <para>
/// Ownership is fenced: <see cref="StartAsync"/> claims the partition in the view store (a new owner
/// epoch) before restoring, every flush is written under that epoch, and checkpoint files carry it. Once
/// another owner has claimed the partition, a flush (or a restore) throws
/// <see cref="PartitionFencedException"/>: the worker is then dropped like a lost partition.
/// </para>
/// </summary>
internal sealed partial class PartitionWorker
{
    private readonly int _partition;
    private readonly IEventLog _log;
    private readonly SpeedViewWriter _writer;
    private readonly SpeedOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _owner;
    private readonly TopicPartition[] _inputs;
    private readonly BotRules _bots;
    private readonly CampaignOwners _owners;
    private PartitionCheckpointer _checkpoints = null!;
    private long _epoch;
    private readonly List<SpeedViewRow> _rows = [];
    private readonly List<SpeedCountsRow> _countRows = [];
    private readonly List<CampaignInfo> _campaigns = [];
    private readonly TopicMerger _merger;
    private readonly Action<SpeedFlushReport>? _onFlushed;
    private readonly Func<IReadOnlyList<TopicPartitionOffset>, CancellationToken, ValueTask> _commit;
    private PartitionProcessor _processor = null!;
    private LogDeadLetterSink _deadLetters = null!;
    private ILogProducer _producer = null!;
    private ILogReader _reader = null!;
    private long _processedAtLastFlush;
    private DateTimeOffset _lastFlush;
    private DateTimeOffset _nextFlush;
    // The flush being written, and what it carries (put back for the next flush if it fails).
    private Task _write = Task.CompletedTask;
    private SpeedViewRow[] _writingRows = [];
    private SpeedCountsRow[] _writingCountRows = [];
    private CampaignInfo[] _writingCampaigns = [];
    // Per topic: the last read filled a whole batch, so the log had more waiting.
    private readonly bool[] _fullRead = new bool[PartitionProcessor.TopicCount];
    private DateTimeOffset _lastCheckpoint;
    private long _processedAtCheckpoint = -1;
    private long _rowsSinceCheckpoint;

    /// <param name="commit">Commits offsets for the consumer group; null commits through the log.</param>
    public PartitionWorker(int partition, IEventLog log, SpeedViewWriter writer, SpeedOptions options, BotRules bots, CampaignOwners owners,
        ILogger logger, TimeProvider time, string owner, Action<SpeedFlushReport>? onFlushed = null,
        Func<IReadOnlyList<TopicPartitionOffset>, CancellationToken, ValueTask>? commit = null)
    {
        _commit = commit ?? ((offsets, ct) => log.CommitAsync(options.ConsumerGroup, offsets, ct));
        _onFlushed = onFlushed;
        _partition = partition;
        _log = log;
        _writer = writer;
        _options = options;
        _logger = logger;
        _time = time;
        _owner = owner;
        _inputs = [.. Topics.EventTopics.Select(t => new TopicPartition(t, partition))];
        _bots = bots;
        _owners = owners;
        _merger = new TopicMerger(PartitionProcessor.TopicCount, options.ReadBatchSize);
    }

    public int Partition => _partition;

    /// <summary>The latest status, refreshed at every flush.</summary>
    public SpeedPartitionStatus? Status { get; private set; }

    /// <summary>What this partition's state holds; empty before <see cref="Start"/>.</summary>
    public SpeedStateSize StateSize => _processor is { } p ? p.StateSize : default;

    /// <summary>When the next flush is due (wall clock): an idle worker sleeps no later than this.</summary>
    public DateTimeOffset NextFlushDue => _nextFlush;

    /// <summary>The owner epoch this worker claimed the partition under.</summary>
    public long Epoch => _epoch;

    /// <summary>
    /// Claims the partition (a new owner epoch), restores the checkpoint of its lineage (or starts
    /// empty), checkpoints that state under the new epoch and opens the partition's reader and producer.
    /// </summary>
    /// <exception cref="PartitionFencedException">A newer owner claimed the partition meanwhile; nothing was opened.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _epoch = await _writer.ClaimAsync(_partition, _owner, cancellationToken).ConfigureAwait(false);
        _checkpoints = new PartitionCheckpointer(_partition, _options, _bots, _logger, _epoch, _owners);
        _producer = _log.CreateProducer();
        _deadLetters = new LogDeadLetterSink(_producer);
        try
        {
            _processor = _checkpoints.Restore(_deadLetters);
            // Before any row: this file marks where the epoch's lineage starts, so a checkpoint the
            // previous owner writes late (after this restore) is never restored again (see CheckpointStore).
            _checkpoints.Checkpoint(_processor);
            _processor.ReleaseSettledSketches();
            _processedAtCheckpoint = _processor.Counters.Processed;
        }
        catch (PartitionFencedException)
        {
            await _producer.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        LogStarted(_logger, _partition, _epoch, _processor.NextOffsets[0], _processor.NextOffsets[1], _processor.NextOffsets[2]);
        _reader = _log.CreateReader();
        _lastFlush = _lastCheckpoint = _time.GetUtcNow();
        _nextFlush = NextGridPoint(_lastFlush);
        _processedAtLastFlush = _processor.Counters.Processed;
    }

    /// <summary>
    /// One step: process what the log has, then flush or checkpoint if their interval has come.
    /// Returns how many records were processed (0 when idle).
    /// </summary>
    public async Task<int> StepAsync(CancellationToken cancellationToken)
    {
        var wasBacklogged = Backlogged;
        var processed = await PumpAsync(_reader, _merger, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        if (now < _nextFlush && !(wasBacklogged && !Backlogged))
        {
            return processed;
        }

        // Due on the grid, or a backlog (a replay, a burst) has just been worked off: its rows are
        // shown at once rather than at the next grid point.
        if (now - _lastCheckpoint < _options.CheckpointInterval)
        {
            await StartFlushAsync(cancellationToken).ConfigureAwait(false);
            return processed;
        }

        // A checkpoint goes with a flush: waiting for the write and writing the checkpoint then
        // hold up processing only, never a flush (the next one is a whole interval away).
        await FlushAndWaitAsync(cancellationToken).ConfigureAwait(false);
        if (_processor.Counters.Processed == _processedAtCheckpoint && _rowsSinceCheckpoint == 0)
        {
            // Nothing processed and no row changed: the last checkpoint still describes this state
            // (up to a log clock that a replay advances alike), so an idle partition writes nothing.
            _lastCheckpoint = now;
        }
        else
        {
            Checkpoint();
            await CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return processed;
    }

    /// <summary>A clean stop: the last flush, a checkpoint and an offset commit.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await FlushAndWaitAsync(cancellationToken).ConfigureAwait(false);
        Checkpoint();
        await CommitAsync(cancellationToken).ConfigureAwait(false);
        await _checkpoints.Compaction.WaitAsync(cancellationToken).ConfigureAwait(false);
        _reader.Dispose();
        await _producer.DisposeAsync().ConfigureAwait(false);
        LogStopped(_logger, _partition, _processor.Counters.Processed);
    }

    /// <summary>
    /// Drops the partition without a flush or checkpoint: it was lost to another owner, which replays
    /// from the last checkpoint to the same rows. Only a write already in flight (so that it cannot land
    /// after the new owner's) and a running compaction are waited for.
    /// </summary>
    public async Task AbandonAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CompleteWriteAsync().ConfigureAwait(false);
        }
        catch (PartitionFencedException)
        {
            // The write in flight was refused: nothing of it landed.
        }

        await _checkpoints.Compaction.WaitAsync(cancellationToken).ConfigureAwait(false);
        _reader.Dispose();
        await _producer.DisposeAsync().ConfigureAwait(false);
        LogAbandoned(_logger, _partition, _processor.Counters.Processed);
    }

    /// <summary>Whether a topic's last read filled a whole batch: the partition is behind the log.</summary>
    private bool Backlogged => Array.IndexOf(_fullRead, true) >= 0;

    /// <summary>Reads what is available without waiting and processes every record the merge can release.</summary>
    private async Task<int> PumpAsync(ILogReader reader, TopicMerger merger, CancellationToken cancellationToken)
    {
        for (var t = 0; t < _inputs.Length; t++)
        {
            if (merger.NeedsRead(t))
            {
                var batch = merger.BatchFor(t);
                await reader.ReadAsync(_inputs[t], _processor.NextOffsets[t], batch, _options.ReadBatchSize,
                    TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
                merger.Refilled(t);
                _fullRead[t] = batch.Count >= _options.ReadBatchSize;
            }
        }

        var processed = 0;
        int topic;
        while ((topic = merger.Next()) >= 0)
        {
            _processor.Process(topic, merger.Head(topic));
            merger.Advance(topic);
            // A long backlog must not hold up a due flush: stop here, the next step goes on.
            if ((++processed & 4095) == 0 && _time.GetUtcNow() >= _nextFlush)
            {
                return processed;
            }
        }

        // Every topic drained: the log's promise lets idle topics stop holding the watermark back.
        if (merger.QuietFrontier() is { } frontier && Enumerable.Range(0, _inputs.Length).All(merger.NeedsRead))
        {
            _processor.AdvanceLogTime(frontier);
        }

        return processed;
    }

    /// <summary>
    /// Collects the changed rows and hands them to the writer without waiting for the store. If the
    /// previous flush is still being written, does nothing: the next step tries again.
    /// </summary>
    private async Task StartFlushAsync(CancellationToken cancellationToken)
    {
        if (!_write.IsCompleted)
        {
            return;
        }

        await CompleteWriteAsync().ConfigureAwait(false);
        _processor.CollectChanges(_rows, _countRows);
        var rows = LastOfEachWindow(_rows, r => (r.CampaignId, r.BucketStartMs));
        var countRows = LastOfEachWindow(_countRows, r => (r.CampaignId, r.BucketStartMs));
        _campaigns.AddRange(_processor.TakeNewCampaigns());
        LogFlushing(_logger, _partition, rows.Length + countRows.Length);
        await _deadLetters.FlushAsync(cancellationToken).ConfigureAwait(false);
        var status = await BuildStatusAsync(cancellationToken).ConfigureAwait(false);
        var campaigns = _campaigns.ToArray();
        _rows.Clear();
        _countRows.Clear();
        _campaigns.Clear();
        _rowsSinceCheckpoint += rows.Length + countRows.Length;
        var report = new SpeedFlushReport(_partition, _processor.LogTimeMs, default, rows.Length + countRows.Length, _processor.Counters.Processed);
        (_writingRows, _writingCountRows, _writingCampaigns) = (rows, countRows, campaigns);
        _write = WriteAsync(rows, countRows, campaigns, status, report, cancellationToken);
        _lastFlush = _time.GetUtcNow();
        _nextFlush = NextGridPoint(_lastFlush);
    }

    /// <summary>Flushes and waits until the store holds every row so far (before a checkpoint or a stop).</summary>
    private async Task FlushAndWaitAsync(CancellationToken cancellationToken)
    {
        await CompleteWriteAsync().ConfigureAwait(false);
        await StartFlushAsync(cancellationToken).ConfigureAwait(false);
        if (!await CompleteWriteAsync().ConfigureAwait(false))
        {
            throw new OperationCanceledException("the speed view write was cancelled", cancellationToken);
        }
    }

    /// <summary>
    /// Waits for the flush in flight. If it was cancelled (the writer retries every other failure),
    /// its rows and campaigns go out with the next flush, and this returns false.
    /// </summary>
    private async Task<bool> CompleteWriteAsync()
    {
        try
        {
            await _write.ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            // Re-sent first, so a window changed again since is still written last, with its newest value.
            _rows.InsertRange(0, _writingRows);
            _countRows.InsertRange(0, _writingCountRows);
            _campaigns.InsertRange(0, _writingCampaigns);
            return false;
        }
        finally
        {
            _write = Task.CompletedTask;
            (_writingRows, _writingCountRows, _writingCampaigns) = ([], [], []);
        }
    }

    private async Task WriteAsync(SpeedViewRow[] rows, SpeedCountsRow[] countRows, CampaignInfo[] campaigns, SpeedPartitionStatus status,
        SpeedFlushReport report, CancellationToken cancellationToken)
    {
        await _writer.WriteAsync(_partition, _epoch, rows, countRows, campaigns, status, cancellationToken).ConfigureAwait(false);
        Status = status;
        _onFlushed?.Invoke(report with { VisibleAt = _time.GetUtcNow() });
    }

    /// <summary>The newest row of each window (a re-sent flush may hold an older one).</summary>
    private static T[] LastOfEachWindow<T>(List<T> rows, Func<T, (string, long)> window) =>
        rows.Count == 0 ? [] : [.. rows.GroupBy(window).Select(g => g.Last())];

    /// <summary>The first multiple of the flush interval (since the epoch) after <paramref name="now"/>.</summary>
    private DateTimeOffset NextGridPoint(DateTimeOffset now)
    {
        var interval = _options.FlushInterval.Ticks;
        var ticks = now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return DateTimeOffset.UnixEpoch.AddTicks((ticks / interval + 1) * interval);
    }

    private void Checkpoint()
    {
        LogCheckpointing(_logger, _partition, _checkpoints.Sequence + 1);
        _checkpoints.Checkpoint(_processor);
        // The flush this checkpoint waited for put every row so far in the store, sketches included.
        _processor.ReleaseSettledSketches();
        _lastCheckpoint = _time.GetUtcNow();
        _processedAtCheckpoint = _processor.Counters.Processed;
        _rowsSinceCheckpoint = 0;
    }

    private async Task CommitAsync(CancellationToken cancellationToken)
    {
        var offsets = _inputs.Select((tp, t) => new TopicPartitionOffset(tp, _processor.NextOffsets[t])).ToArray();
        await _commit(offsets, cancellationToken).ConfigureAwait(false);
    }

    private async Task<SpeedPartitionStatus> BuildStatusAsync(CancellationToken cancellationToken)
    {
        long lag = 0;
        try
        {
            for (var t = 0; t < _inputs.Length; t++)
            {
                var offsets = await _log.GetOffsetsAsync(_inputs[t], cancellationToken).ConfigureAwait(false);
                lag += offsets.LagFrom(_processor.NextOffsets[t]);
            }
        }
        catch (LogUnavailableException)
        {
            // The lag is only reported: a log that cannot answer now (a Kafka outage) must not hold up the
            // flush of rows already processed, nor the hand-over of a revoked partition. The last known lag stands.
            lag = Status?.Lag ?? 0;
        }

        var now = _time.GetUtcNow();
        var seconds = Math.Max(0.001, (now - _lastFlush).TotalSeconds);
        var c = _processor.Counters;
        var rate = (c.Processed - _processedAtLastFlush) / seconds;
        _processedAtLastFlush = c.Processed;
        return new SpeedPartitionStatus(_partition, _owner, _processor.WatermarkMs, lag, rate, c.Processed,
            c.BotFiltered, c.Late, c.Unattributed, c.Duplicates, c.DeadLettered, now, c.OwnerMismatched, c.FutureDated);
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Partition {Partition} starts under owner epoch {Epoch} at offsets served={Served} views={Views} clicks={Clicks}")]
    private static partial void LogStarted(ILogger logger, int partition, long epoch, long served, long views, long clicks);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Partition {Partition} stopped cleanly after {Processed} records")]
    private static partial void LogStopped(ILogger logger, int partition, long processed);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Partition {Partition} was lost to another owner after {Processed} records; its state is dropped without a checkpoint")]
    private static partial void LogAbandoned(ILogger logger, int partition, long processed);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Debug, Message = "Partition {Partition} flush of {Rows} rows starts")]
    private static partial void LogFlushing(ILogger logger, int partition, int rows);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Debug, Message = "Partition {Partition} checkpoint {Sequence} starts")]
    private static partial void LogCheckpointing(ILogger logger, int partition, long sequence);
}

using Lambda.SharedModel.Bots;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Views;
using Lambda.Speed.Output;
using Lambda.Speed.State;
using Microsoft.Extensions.Logging;

namespace Lambda.Speed.Processing;

/// <summary>
/// Drives one partition: its input (<see cref="PartitionInput"/>: reads and merges the three topics
/// into the processor), its output (<see cref="PartitionFlusher"/>: changed rows every flush interval,
/// written beside processing) and its checkpoints (every checkpoint interval, through
/// <see cref="PartitionCheckpointer"/>). A checkpoint waits for its flush to be in the store, so the
/// state it records never runs ahead of the speed view; offsets are committed to the consumer group
/// only after the checkpoint.
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
    private readonly Action<SpeedFlushReport>? _onFlushed;
    private readonly Func<IReadOnlyList<TopicPartitionOffset>, CancellationToken, ValueTask> _commit;
    private long _epoch;
    private PartitionCheckpointer _checkpoints = null!;
    private PartitionProcessor _processor = null!;
    private PartitionInput _input = null!;
    private PartitionFlusher _flusher = null!;
    private LogDeadLetterSink _deadLetters = null!;
    private ILogProducer _producer = null!;
    private DateTimeOffset _lastCheckpoint;
    private long _processedAtCheckpoint = -1;
    // Made once: the pump asks it every 4,096 records.
    private readonly Func<bool> _flushDue;

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
        _flushDue = () => _time.GetUtcNow() >= _flusher.NextFlushDue;
    }

    public int Partition => _partition;

    /// <summary>The latest status, refreshed at every flush.</summary>
    public SpeedPartitionStatus? Status => _flusher?.Status;

    /// <summary>What this partition's state holds; empty before <see cref="StartAsync"/>.</summary>
    public SpeedStateSize StateSize => _processor is { } p ? p.StateSize : default;

    /// <summary>When the next flush is due (wall clock): an idle worker sleeps no later than this.</summary>
    public DateTimeOffset NextFlushDue => _flusher?.NextFlushDue ?? default;

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
        _input = new PartitionInput(_inputs, _log.CreateReader(), _options.ReadBatchSize);
        _flusher = new PartitionFlusher(_partition, _epoch, _writer, _log, _inputs, _owner, _options.FlushInterval, _time, _onFlushed,
            _processor.Counters.Processed, _logger);
        _lastCheckpoint = _time.GetUtcNow();
    }

    /// <summary>
    /// One step: process what the log has, then flush or checkpoint if their interval has come.
    /// Returns how many records were processed (0 when idle).
    /// </summary>
    public async Task<int> StepAsync(CancellationToken cancellationToken)
    {
        var wasBacklogged = _input.Backlogged;
        var processed = await _input.PumpAsync(_processor, _flushDue, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        if (now < _flusher.NextFlushDue && !(wasBacklogged && !_input.Backlogged))
        {
            return processed;
        }

        // Due on the grid, or a backlog (a replay, a burst) has just been worked off: its rows are
        // shown at once rather than at the next grid point.
        if (now - _lastCheckpoint < _options.CheckpointInterval)
        {
            await _flusher.StartAsync(_processor, _deadLetters, cancellationToken).ConfigureAwait(false);
            return processed;
        }

        // A checkpoint goes with a flush: waiting for the write and writing the checkpoint then
        // hold up processing only, never a flush (the next one is a whole interval away).
        await _flusher.FlushAndWaitAsync(_processor, _deadLetters, cancellationToken).ConfigureAwait(false);
        if (_processor.Counters.Processed == _processedAtCheckpoint && _flusher.RowsSinceMark == 0)
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
        await _flusher.FlushAndWaitAsync(_processor, _deadLetters, cancellationToken).ConfigureAwait(false);
        Checkpoint();
        await CommitAsync(cancellationToken).ConfigureAwait(false);
        await _checkpoints.Compaction.WaitAsync(cancellationToken).ConfigureAwait(false);
        _input.Dispose();
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
            await _flusher.CompleteWriteAsync().ConfigureAwait(false);
        }
        catch (PartitionFencedException)
        {
            // The write in flight was refused: nothing of it landed.
        }

        await _checkpoints.Compaction.WaitAsync(cancellationToken).ConfigureAwait(false);
        _input.Dispose();
        await _producer.DisposeAsync().ConfigureAwait(false);
        LogAbandoned(_logger, _partition, _processor.Counters.Processed);
    }

    private void Checkpoint()
    {
        LogCheckpointing(_logger, _partition, _checkpoints.Sequence + 1);
        var started = _time.GetTimestamp();
        _checkpoints.Checkpoint(_processor);
        SpeedMeter.CheckpointDuration.Record(_time.GetElapsedTime(started).TotalSeconds);
        // The flush this checkpoint waited for put every row so far in the store, sketches included.
        _processor.ReleaseSettledSketches();
        _lastCheckpoint = _time.GetUtcNow();
        _processedAtCheckpoint = _processor.Counters.Processed;
        _flusher.CountRowsFromNowOn();
    }

    private async Task CommitAsync(CancellationToken cancellationToken)
    {
        var offsets = _inputs.Select((tp, t) => new TopicPartitionOffset(tp, _processor.NextOffsets[t])).ToArray();
        await _commit(offsets, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = SpeedLogEvents.PartitionStarted, Level = LogLevel.Debug, Message = "Partition {Partition} starts under owner epoch {Epoch} at offsets served={Served} views={Views} clicks={Clicks}")]
    private static partial void LogStarted(ILogger logger, int partition, long epoch, long served, long views, long clicks);

    [LoggerMessage(EventId = SpeedLogEvents.PartitionStopped, Level = LogLevel.Debug, Message = "Partition {Partition} stopped cleanly after {Processed} records")]
    private static partial void LogStopped(ILogger logger, int partition, long processed);

    [LoggerMessage(EventId = SpeedLogEvents.PartitionLost, Level = LogLevel.Warning, Message = "Partition {Partition} was lost to another owner after {Processed} records; its state is dropped without a checkpoint")]
    private static partial void LogAbandoned(ILogger logger, int partition, long processed);

    [LoggerMessage(EventId = SpeedLogEvents.CheckpointStarting, Level = LogLevel.Debug, Message = "Partition {Partition} checkpoint {Sequence} starts")]
    private static partial void LogCheckpointing(ILogger logger, int partition, long sequence);
}

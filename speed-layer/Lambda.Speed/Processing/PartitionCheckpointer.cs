using Lambda.SharedModel.Bots;
using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Views;
using Lambda.Speed.Checkpoints;
using Lambda.Speed.State;
using Microsoft.Extensions.Logging;

namespace Lambda.Speed.Processing;

/// <summary>
/// Checkpoints one partition's processor as a chain: a base (full state) and then a delta per
/// checkpoint, so the worker only ever writes what changed. When the chain grows long (the deltas
/// add up to half the base, or <see cref="MaxDeltas"/> of them) a compaction rebuilds the state
/// from the files on a background thread, in a separate processor object, and writes it as a new
/// base for the sequence it reached; the worker keeps appending deltas meanwhile, and they follow
/// the new base unchanged, because a delta applies to the state of the previous sequence whatever
/// files that state came from.
/// </summary>
internal sealed partial class PartitionCheckpointer
{
    /// <summary>Most deltas after a base before a compaction, whatever their size (bounds restore work).</summary>
    public const int MaxDeltas = 200;

    private readonly int _partition;
    private readonly SpeedOptions _options;
    private readonly BotRules _bots;
    private readonly CampaignOwners _owners;
    private readonly ILogger _logger;
    private readonly CheckpointStore _store;
    private Task _compaction = Task.CompletedTask;
    private volatile bool _baseWanted;

    /// <param name="epoch">The owner epoch claimed for the partition (0: unfenced, a single owner).</param>
    /// <param name="owners">Campaign owners for restored processors; null decides them in this process alone (tests, benchmarks).</param>
    public PartitionCheckpointer(int partition, SpeedOptions options, BotRules bots, ILogger logger, long epoch = 0, CampaignOwners? owners = null)
    {
        _owners = owners ?? CampaignOwners.InProcess();
        _partition = partition;
        _options = options;
        _bots = bots;
        _logger = logger;
        _store = new CheckpointStore(options.CheckpointDirectory, partition, logger, epoch);
    }

    /// <summary>Whether a long chain starts a background compaction (tests turn it off to keep a chain).</summary>
    public bool AutoCompact { get; init; } = true;

    /// <summary>Sequence number of the last checkpoint written or restored.</summary>
    public long Sequence => _store.Sequence;

    /// <summary>The running (or last) compaction, for tests and a clean stop.</summary>
    public Task Compaction => _compaction;

    /// <summary>The state of the newest intact checkpoint chain of the lineage, or an empty processor.</summary>
    /// <exception cref="PartitionFencedException">A newer owner has checkpointed the partition.</exception>
    public PartitionProcessor Restore(IDeadLetterSink deadLetters)
    {
        var restored = _store.Load(
            (version, reader) => PartitionProcessor.ReadState(CheckVersion(version, reader), _options, _bots, _owners, deadLetters, version),
            (state, version, reader) => state.ApplyDelta(CheckVersion(version, reader), version));
        if (restored is not { State: var processor })
        {
            return new PartitionProcessor(_partition, _options, _bots, _owners, deadLetters);
        }

        processor.FinishRestore();
        return processor;
    }

    /// <summary>
    /// Writes a checkpoint of the processor (a delta if a chain exists, else a base), marks it
    /// checkpointed, and starts a background compaction if the chain has grown long.
    /// </summary>
    public void Checkpoint(PartitionProcessor processor)
    {
        if (!_store.HasBase || _baseWanted)
        {
            _baseWanted = false;
            _store.SaveBase(PartitionProcessor.CheckpointFormatVersion, processor.WriteState);
        }
        else
        {
            _store.SaveDelta(PartitionProcessor.CheckpointFormatVersion, processor.WriteDelta);
        }

        processor.MarkCheckpointed();
        if (AutoCompact && _compaction.IsCompleted && _store.ChainIsLong(MaxDeltas))
        {
            var upTo = _store.Sequence;
            _compaction = Task.Run(() => Compact(upTo));
        }
    }

    /// <summary>Rebuilds the state at <paramref name="upTo"/> from the files and writes it as a base.</summary>
    public void Compact(long upTo)
    {
        try
        {
            var loaded = _store.Load(
                (version, reader) => PartitionProcessor.ReadState(CheckVersion(version, reader), _options, _bots, _owners, NoDeadLetters.Instance, version),
                (state, version, reader) => state.ApplyDelta(CheckVersion(version, reader), version),
                upTo, repair: false);
            if (loaded is not { State: var state, Sequence: var sequence } || sequence != upTo)
            {
                // The files cannot give this state (a damaged file): the worker writes a base from the live state.
                LogCompactionBroken(_logger, _partition, upTo);
                _baseWanted = true;
                return;
            }

            var size = _store.SaveCompactedBase(upTo, PartitionProcessor.CheckpointFormatVersion, state.WriteState);
            LogCompacted(_logger, _partition, upTo, size);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Transient: the chain stays as it is and the next checkpoint tries again.
            LogCompactionFailed(_logger, _partition, ex.Message);
        }
        catch (PartitionFencedException ex)
        {
            // A newer owner has the partition: this chain is no longer ours to compact.
            LogCompactionFailed(_logger, _partition, ex.Message);
        }
    }

    private static BinaryReader CheckVersion(ushort version, BinaryReader reader) =>
        version is >= PartitionProcessor.OldestReadableFormatVersion and <= PartitionProcessor.CheckpointFormatVersion
        ? reader
        : throw new InvalidDataException($"unsupported checkpoint format version {version}");

    [LoggerMessage(EventId = SpeedLogEvents.CheckpointChainCompacted, Level = LogLevel.Debug, Message = "Partition {Partition} checkpoint chain compacted into a base at sequence {Sequence} ({Bytes} bytes)")]
    private static partial void LogCompacted(ILogger logger, int partition, long sequence, long bytes);

    [LoggerMessage(EventId = SpeedLogEvents.CheckpointChainUnreadable, Level = LogLevel.Warning, Message = "Partition {Partition} checkpoint chain up to {Sequence} cannot be read back; the next checkpoint is a full base")]
    private static partial void LogCompactionBroken(ILogger logger, int partition, long sequence);

    [LoggerMessage(EventId = SpeedLogEvents.CheckpointCompactionFailed, Level = LogLevel.Warning, Message = "Partition {Partition} checkpoint compaction failed ({Reason}); retried at the next checkpoint")]
    private static partial void LogCompactionFailed(ILogger logger, int partition, string reason);

    private sealed class NoDeadLetters : IDeadLetterSink
    {
        public static readonly NoDeadLetters Instance = new();

        public void Reject(TopicPartition source, in LogRecord record, DecodeResult result)
        {
        }
    }
}

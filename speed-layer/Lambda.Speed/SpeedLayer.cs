using Lambda.SharedModel.Bots;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Views;
using Lambda.Speed.Output;
using Lambda.Speed.Processing;
using Lambda.Speed.State;
using Microsoft.Extensions.Logging;

namespace Lambda.Speed;

/// <summary>
/// The speed layer: <see cref="SpeedOptions.Workers"/> worker loops, each driving the partitions
/// placed on it, and one view writer fed through a bounded channel. Aggregation is per partition,
/// so a hot campaign is spread over partitions and merged only at read time.
/// <para>
/// Which partitions run here: the given list, or every partition of an embedded log; on a log with
/// consumer groups (Kafka) this process joins <see cref="SpeedOptions.ConsumerGroup"/> and runs
/// what the group assigns it, taking over a partition's state from its checkpoint and handing it
/// back through a flush and a checkpoint when the group revokes it. Stopping (cancellation) flushes
/// and checkpoints every partition still owned.
/// </para>
/// </summary>
public sealed partial class SpeedLayer
{
    private readonly IEventLog _log;
    private readonly IViewStore _store;
    private readonly BotRules _bots;
    private readonly SpeedOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<int>? _partitions;
    private volatile WorkerLoop[] _loops = [];

    /// <param name="partitions">
    /// The partitions this process owns; null for all of them, or, on a log with consumer groups,
    /// for those the group assigns.
    /// </param>
    public SpeedLayer(IEventLog log, IViewStore store, BotRules bots, SpeedOptions options, ILoggerFactory loggers,
        TimeProvider time, IReadOnlyList<int>? partitions = null)
    {
        options.Validate();
        _log = log;
        _store = store;
        _bots = bots;
        _options = options;
        _loggers = loggers;
        _time = time;
        _partitions = partitions;
    }

    /// <summary>Called once each flush of a partition is in the store (on a thread-pool thread, concurrently across partitions: keep it cheap and thread-safe).</summary>
    public Action<SpeedFlushReport>? OnFlushed { get; init; }

    /// <summary>True when the partitions come from a consumer group (a Kafka log and no fixed list).</summary>
    public bool UsesConsumerGroup => _partitions is null && _log is IConsumerGroupLog;

    /// <summary>The latest status of each partition running here.</summary>
    public IReadOnlyList<SpeedPartitionStatus> Status =>
        [.. Running().Select(w => w.Status).OfType<SpeedPartitionStatus>().OrderBy(s => s.Partition)];

    /// <summary>The partitions running here now, ascending (they change with the group's rebalances).</summary>
    public IReadOnlyList<int> OwnedPartitions => [.. Running().Select(w => w.Partition).Order()];

    /// <summary>What the state of the partitions running here holds (see <see cref="SpeedStateSize"/>).</summary>
    public SpeedStateSize StateSize => Running().Aggregate(default(SpeedStateSize), (sum, w) => sum + w.StateSize);

    /// <summary>Runs until cancelled, then stops cleanly (in a group: leaves it, handing its partitions over).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var logger = _loggers.CreateLogger("Lambda.Speed");
        using var metrics = SpeedMeter.Track(this);
        using var stopOwners = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var owners = new CampaignOwners(claims => ClaimCampaigns(claims, logger, stopOwners.Token));
        await using var writer = new SpeedViewWriter(_store, _loggers.CreateLogger("Lambda.Speed.Writer"), _time, owners);
        var owner = $"{Environment.MachineName}:{Environment.ProcessId}";
        var member = new TaskCompletionSource<IConsumerGroupMember>(TaskCreationOptions.RunContinuationsAsynchronously);
        Func<IReadOnlyList<TopicPartitionOffset>, CancellationToken, ValueTask>? commit =
            UsesConsumerGroup ? (offsets, ct) => CommitThroughGroupAsync(member.Task, offsets, logger, ct) : null;
        WorkerLoop[] loops = [.. Enumerable.Range(0, _options.Workers).Select(_ => new WorkerLoop(
            p => new PartitionWorker(p, _log, writer, _options, _bots, owners, logger, _time, owner, OnFlushed, commit), _time, logger))];
        _loops = loops;
        var assignments = new PartitionAssignments(loops, logger);

        using var stopLoops = new CancellationTokenSource();
        var running = loops
            .Select(loop => Task.Factory.StartNew(() => loop.RunAsync(stopLoops.Token),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap())
            .ToArray();
        IConsumerGroupMember? joined = null;
        try
        {
            if (UsesConsumerGroup)
            {
                LogJoining(logger, _options.ConsumerGroup, _options.Workers);
                joined = ((IConsumerGroupLog)_log).JoinGroup(_options.ConsumerGroup, Topics.EventTopics, assignments);
                member.SetResult(joined);
                try
                {
                    await UntilStoppedAsync([.. running, joined.Completion], cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    // Leaving revokes first: the loops (still running) flush and checkpoint every partition.
                    await joined.DisposeAsync().ConfigureAwait(false);
                }
            }
            else
            {
                var partitions = _partitions ?? await AllPartitionsAsync(cancellationToken).ConfigureAwait(false);
                LogRunning(logger, partitions.Count, _options.Workers);
                assignments.OnAssigned(partitions);
                await UntilStoppedAsync(running, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped while looking up the partitions: nothing runs yet.
        }
        finally
        {
            member.TrySetCanceled(CancellationToken.None);
            await stopLoops.CancelAsync().ConfigureAwait(false);
            try
            {
                await Task.WhenAll(running).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One failing loop (corrupt log data, a full disk) has stopped the others cleanly; the run
                // fails with its cause rather than leaving partitions stalled behind a layer that looks alive.
                LogWorkerFailed(logger, ex);
                throw;
            }
        }

        if (joined is not null)
        {
            // A membership that failed (say, an assignment that is not co-partitioned) fails the layer.
            await joined.Completion.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Claims campaigns in the store for a worker thread that cannot go on without their owners:
    /// retried with backoff while the store is down (the thread waits, as its flushes would).
    /// </summary>
    private IReadOnlyList<CampaignInfo> ClaimCampaigns(IReadOnlyCollection<CampaignInfo> claims, ILogger logger, CancellationToken stop)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return _store.ClaimCampaignsAsync(claims, stop).GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogOwnerClaimFailed(logger, ex, claims.Count, attempt, delay.TotalMilliseconds);
                stop.WaitHandle.WaitOne(delay);
                stop.ThrowIfCancellationRequested();
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5_000));
            }
        }
    }

    private IEnumerable<PartitionWorker> Running() => _loops.SelectMany(l => l.Workers);

    /// <summary>Returns when <paramref name="cancellationToken"/> is cancelled or any task ends (a failure).</summary>
    private static async Task UntilStoppedAsync(IEnumerable<Task> tasks, CancellationToken cancellationToken)
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = cancellationToken.Register(() => cancelled.TrySetResult()).ConfigureAwait(false);
        await Task.WhenAny(tasks.Append(cancelled.Task)).ConfigureAwait(false);
    }

    private static async ValueTask CommitThroughGroupAsync(Task<IConsumerGroupMember> member,
        IReadOnlyList<TopicPartitionOffset> offsets, ILogger logger, CancellationToken cancellationToken)
    {
        var joined = await member.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!await joined.CommitAsync(offsets, cancellationToken).ConfigureAwait(false))
        {
            // Committed offsets only report progress (the checkpoint is what a restart reads), and a
            // group that is rebalancing refuses commits: the next checkpoint's commit catches up.
            LogCommitRefused(logger, offsets[0].TopicPartition.Partition);
        }
    }

    /// <summary>The idle back-off, cut short so that no partition's flush waits for it.</summary>
    private async Task<IReadOnlyList<int>> AllPartitionsAsync(CancellationToken cancellationToken)
    {
        var topics = await _log.ListTopicsAsync(cancellationToken).ConfigureAwait(false);
        var served = topics.FirstOrDefault(t => t.Name == Topics.Served);
        if (served.Name is null)
        {
            throw new InvalidOperationException($"topic '{Topics.Served}' does not exist: create the topics (lambda topics --create) or ingest first");
        }

        return [.. Enumerable.Range(0, served.Partitions)];
    }

    [LoggerMessage(EventId = SpeedLogEvents.WorkerFailed, Level = LogLevel.Error, Message = "A speed worker failed; the layer stopped its other partitions cleanly")]
    private static partial void LogWorkerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = SpeedLogEvents.LayerRunning, Level = LogLevel.Debug, Message = "Speed layer running {Partitions} partitions on {Workers} workers")]
    private static partial void LogRunning(ILogger logger, int partitions, int workers);

    [LoggerMessage(EventId = SpeedLogEvents.JoiningGroup, Level = LogLevel.Information, Message = "Speed layer joining consumer group {Group} with {Workers} workers")]
    private static partial void LogJoining(ILogger logger, string group, int workers);

    [LoggerMessage(EventId = SpeedLogEvents.OwnerClaimFailed, Level = LogLevel.Warning, Message = "Claiming the owners of {Campaigns} campaigns failed (attempt {Attempt}); the worker waits and retries in {DelayMs} ms")]
    private static partial void LogOwnerClaimFailed(ILogger logger, Exception exception, int campaigns, int attempt, double delayMs);

    [LoggerMessage(EventId = SpeedLogEvents.OffsetCommitRefused, Level = LogLevel.Warning, Message = "Offset commit for partition {Partition} refused by the group (rebalancing?); the next checkpoint commits again")]
    private static partial void LogCommitRefused(ILogger logger, int partition);
}

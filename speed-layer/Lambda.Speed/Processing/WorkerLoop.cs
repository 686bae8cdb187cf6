using System.Threading.Channels;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Views;
using Microsoft.Extensions.Logging;

namespace Lambda.Speed.Processing;

/// <summary>
/// One worker thread: steps the partitions it currently owns in turn and takes ownership changes
/// (assign, revoke) between steps, from a channel, so a partition's state is only ever touched by
/// this thread. Stopping (cancellation) stops every partition still owned cleanly. A partition whose
/// writes are fenced (another owner claimed it) is dropped like a lost one, and the loop goes on.
/// </summary>
internal sealed partial class WorkerLoop
{
    // An idle loop polls the log at 20 ms, backing off to 200 ms while nothing arrives: a quiet host
    // then costs well under 2% of a core, and a burst (or a revoke) after a lull waits 200 ms at most.
    private static readonly TimeSpan MinIdleDelay = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan MaxIdleDelay = TimeSpan.FromMilliseconds(200);
    // An idle loop still wakes for its partitions' next flush, but never spins.
    private static readonly TimeSpan MinFlushWait = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan HandOverTimeout = TimeSpan.FromSeconds(30);
    // While the log is unavailable, steps are retried from 100 ms, doubling to 5 s, as the view writer does.
    private static readonly TimeSpan MinLogBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxLogBackoff = TimeSpan.FromSeconds(5);

    // At most one command per partition per rebalance is waiting, so the channel needs no bound.
    private readonly Channel<Command> _commands = Channel.CreateUnbounded<Command>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<int, PartitionWorker> _createWorker;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly List<PartitionWorker> _workers = [];
    private volatile PartitionWorker[] _snapshot = [];

    private enum Change
    {
        Assign,
        Revoke,
        Drop,
    }

    public WorkerLoop(Func<int, PartitionWorker> createWorker, TimeProvider time, ILogger logger)
    {
        _createWorker = createWorker;
        _time = time;
        _logger = logger;
    }

    /// <summary>The partitions running on this loop now (any thread may read it).</summary>
    public IReadOnlyList<PartitionWorker> Workers => _snapshot;

    /// <summary>Starts the partition here (restoring its checkpoint); completes once it runs.</summary>
    public Task AssignAsync(int partition) => Post(Change.Assign, partition);

    /// <summary>
    /// Stops the partition: with <paramref name="lost"/>, drops its state; otherwise flushes its rows
    /// and checkpoints it first. Completes once the partition is released (at once if this loop has ended).
    /// </summary>
    public Task RevokeAsync(int partition, bool lost) => Post(lost ? Change.Drop : Change.Revoke, partition);

    public async Task RunAsync(CancellationToken stop)
    {
        var idleDelay = MinIdleDelay;
        var logBackoff = MinLogBackoff;
        var failed = true;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await ApplyChangesAsync(stop).ConfigureAwait(false);
                if (_workers.Count == 0)
                {
                    await _commands.Reader.WaitToReadAsync(stop).ConfigureAwait(false);
                    continue;
                }

                var processed = 0;
                var unavailable = false;
                for (var i = 0; i < _workers.Count; i++)
                {
                    try
                    {
                        processed += await _workers[i].StepAsync(stop).ConfigureAwait(false);
                    }
                    catch (PartitionFencedException fenced)
                    {
                        await DropFencedAsync(_workers[i--], fenced).ConfigureAwait(false);
                    }
                    catch (LogUnavailableException down)
                    {
                        // A Kafka outage: the step is retried as a whole (a read that failed consumed
                        // nothing, a flush that failed keeps its rows), so the layer rides it out.
                        LogUnavailable(_logger, _workers[i].Partition, down.Message, logBackoff.TotalMilliseconds);
                        unavailable = true;
                    }
                }

                if (unavailable)
                {
                    await Task.Delay(logBackoff, _time, stop).ConfigureAwait(false);
                    logBackoff = TimeSpan.FromTicks(Math.Min(logBackoff.Ticks * 2, MaxLogBackoff.Ticks));
                    continue;
                }

                logBackoff = MinLogBackoff;
                if (processed == 0)
                {
                    await Task.Delay(UntilNextFlush(idleDelay), _time, stop).ConfigureAwait(false);
                    idleDelay = TimeSpan.FromTicks(Math.Min(idleDelay.Ticks * 2, MaxIdleDelay.Ticks));
                }
                else
                {
                    idleDelay = MinIdleDelay;
                }
            }

            failed = false;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            failed = false;
        }
        finally
        {
            // Whoever waits on a change (a rebalance handler) must never wait on a loop that has ended.
            _commands.Writer.TryComplete();
            if (failed)
            {
                while (_commands.Reader.TryRead(out var command))
                {
                    command.Done.TrySetResult();
                }
            }
        }

        // A clean stop: changes still queued are applied (a revoke hands its partition over), then
        // every partition still owned is flushed and checkpointed.
        try
        {
            await ApplyChangesAsync(stop).ConfigureAwait(false);
            using var shutdown = new CancellationTokenSource(HandOverTimeout);
            foreach (var worker in _workers.ToArray())
            {
                try
                {
                    await worker.StopAsync(shutdown.Token).ConfigureAwait(false);
                }
                catch (PartitionFencedException fenced)
                {
                    await DropFencedAsync(worker, fenced).ConfigureAwait(false);
                }
            }

            _workers.Clear();
            _snapshot = [];
        }
        finally
        {
            while (_commands.Reader.TryRead(out var command))
            {
                command.Done.TrySetResult();
            }
        }
    }

    /// <summary>The idle back-off, cut short so the loop wakes for its partitions' next flush.</summary>
    private TimeSpan UntilNextFlush(TimeSpan backoff)
    {
        var wait = backoff;
        var now = _time.GetUtcNow();
        foreach (var worker in _workers)
        {
            var untilFlush = worker.NextFlushDue - now;
            if (untilFlush < wait)
            {
                wait = untilFlush < MinFlushWait ? MinFlushWait : untilFlush;
            }
        }

        return wait;
    }

    private Task Post(Change change, int partition)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _commands.Writer.TryWrite(new Command(change, partition, done)) ? done.Task : Task.CompletedTask;
    }

    private async Task ApplyChangesAsync(CancellationToken stop)
    {
        while (_commands.Reader.TryRead(out var command))
        {
            try
            {
                await ApplyAsync(command, stop).ConfigureAwait(false);
            }
            finally
            {
                command.Done.TrySetResult();
            }
        }
    }

    private async Task ApplyAsync(Command command, CancellationToken stop)
    {
        var index = _workers.FindIndex(w => w.Partition == command.Partition);
        if (command.Change == Change.Assign)
        {
            // An assignment still queued when the loop stops is not started: there is nothing to hand over.
            if (index < 0 && !stop.IsCancellationRequested)
            {
                var worker = _createWorker(command.Partition);
                try
                {
                    await worker.StartAsync(stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (PartitionFencedException fenced)
                {
                    LogFenced(_logger, fenced.Partition, fenced.Epoch, fenced.CurrentEpoch);
                    return;
                }

                _workers.Add(worker);
                _snapshot = [.. _workers];
            }

            return;
        }

        if (index < 0)
        {
            return;
        }

        var revoked = _workers[index];
        _workers.RemoveAt(index);
        _snapshot = [.. _workers];
        using var handOver = new CancellationTokenSource(HandOverTimeout);
        if (command.Change == Change.Drop)
        {
            await revoked.AbandonAsync(handOver.Token).ConfigureAwait(false);
            return;
        }

        try
        {
            await revoked.StopAsync(handOver.Token).ConfigureAwait(false);
        }
        catch (PartitionFencedException fenced)
        {
            LogFenced(_logger, fenced.Partition, fenced.Epoch, fenced.CurrentEpoch);
            await revoked.AbandonAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (handOver.IsCancellationRequested)
        {
            // The store did not take the last rows in time. The partition is released anyway: its next
            // owner replays from the last checkpoint, which is correct, only longer.
            LogHandOverTimedOut(_logger, revoked.Partition, HandOverTimeout.TotalSeconds);
            await revoked.AbandonAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Drops a partition another owner has claimed: no flush, no checkpoint, no commit.</summary>
    private async Task DropFencedAsync(PartitionWorker worker, PartitionFencedException fenced)
    {
        LogFenced(_logger, fenced.Partition, fenced.Epoch, fenced.CurrentEpoch);
        _workers.Remove(worker);
        _snapshot = [.. _workers];
        using var handOver = new CancellationTokenSource(HandOverTimeout);
        await worker.AbandonAsync(handOver.Token).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = SpeedLogEvents.PartitionFenced, Level = LogLevel.Warning, Message = "Partition {Partition} was claimed by another owner (epoch {CurrentEpoch}, this one held {Epoch}); dropped without a flush, checkpoint or commit")]
    private static partial void LogFenced(ILogger logger, int partition, long epoch, long currentEpoch);

    [LoggerMessage(EventId = SpeedLogEvents.EventLogUnreachable, Level = LogLevel.Warning, Message = "Partition {Partition} cannot reach the event log ({Reason}); retrying in {DelayMs} ms")]
    private static partial void LogUnavailable(ILogger logger, int partition, string reason, double delayMs);

    [LoggerMessage(EventId = SpeedLogEvents.RevocationTimedOut, Level = LogLevel.Warning, Message = "Partition {Partition} could not flush and checkpoint within {Seconds} s of its revocation; released without them")]
    private static partial void LogHandOverTimedOut(ILogger logger, int partition, double seconds);

    private readonly record struct Command(Change Change, int Partition, TaskCompletionSource Done);
}

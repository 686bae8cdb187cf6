using Lambda.SharedModel.Bots;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Views;
using Lambda.Speed.Output;
using Lambda.Speed.Processing;
using Microsoft.Extensions.Logging;

namespace Lambda.Speed;

/// <summary>
/// The speed layer: a worker loop per configured worker, each driving its share of the log's
/// partitions (partition p goes to worker p mod workers), and one view writer fed through a
/// bounded channel. Aggregation is per partition, so a hot campaign is spread over partitions and
/// merged only at read time. Stopping (cancellation) flushes and checkpoints every partition.
/// </summary>
public sealed partial class SpeedLayer
{
    // An idle worker polls the log at 20 ms, backing off to 200 ms while nothing arrives: a
    // quiet host then costs well under 2% of a core, and a burst after a lull waits 200 ms at most.
    private static readonly TimeSpan MinIdleDelay = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan MaxIdleDelay = TimeSpan.FromMilliseconds(200);
    // An idle worker still wakes for its partitions' next flush, but never spins.
    private static readonly TimeSpan MinFlushWait = TimeSpan.FromMilliseconds(2);

    private readonly IEventLog _log;
    private readonly IViewStore _store;
    private readonly BotRules _bots;
    private readonly SpeedOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<int>? _partitions;
    private readonly List<PartitionWorker> _workers = [];

    /// <param name="partitions">The partitions this process owns; null for all of them.</param>
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

    /// <summary>The latest status of each owned partition.</summary>
    public IReadOnlyList<SpeedPartitionStatus> Status =>
        [.. _workers.Select(w => w.Status).OfType<SpeedPartitionStatus>().OrderBy(s => s.Partition)];

    /// <summary>Runs until cancelled, then stops cleanly.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var logger = _loggers.CreateLogger("Lambda.Speed");
        var partitions = _partitions ?? await AllPartitionsAsync(cancellationToken).ConfigureAwait(false);
        await using var writer = new SpeedViewWriter(_store, _loggers.CreateLogger("Lambda.Speed.Writer"), _time);
        var owner = $"{Environment.MachineName}:{Environment.ProcessId}";
        foreach (var p in partitions)
        {
            var worker = new PartitionWorker(p, _log, writer, _options, _bots, logger, _time, owner, OnFlushed);
            worker.Start();
            _workers.Add(worker);
        }

        LogRunning(logger, partitions.Count, _options.Workers);
        var loops = Enumerable.Range(0, Math.Min(_options.Workers, _workers.Count))
            .Select(i => Task.Factory.StartNew(
                () => RunWorkerAsync([.. _workers.Where((_, index) => index % _options.Workers == i)], cancellationToken),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap())
            .ToArray();
        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    private async Task RunWorkerAsync(IReadOnlyList<PartitionWorker> partitions, CancellationToken cancellationToken)
    {
        var idleDelay = MinIdleDelay;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var processed = 0;
                foreach (var partition in partitions)
                {
                    processed += await partition.StepAsync(cancellationToken).ConfigureAwait(false);
                }

                if (processed == 0)
                {
                    await Task.Delay(UntilNextFlush(partitions, idleDelay), _time, cancellationToken).ConfigureAwait(false);
                    idleDelay = TimeSpan.FromTicks(Math.Min(idleDelay.Ticks * 2, MaxIdleDelay.Ticks));
                }
                else
                {
                    idleDelay = MinIdleDelay;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: fall through to the clean stop.
        }

        using var shutdown = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        foreach (var partition in partitions)
        {
            await partition.StopAsync(shutdown.Token).ConfigureAwait(false);
        }
    }

    /// <summary>The idle back-off, cut short so that no partition's flush waits for it.</summary>
    private TimeSpan UntilNextFlush(IReadOnlyList<PartitionWorker> partitions, TimeSpan backoff)
    {
        var wait = backoff;
        var now = _time.GetUtcNow();
        foreach (var partition in partitions)
        {
            var untilFlush = partition.NextFlushDue - now;
            if (untilFlush < wait)
            {
                wait = untilFlush < MinFlushWait ? MinFlushWait : untilFlush;
            }
        }

        return wait;
    }

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

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Speed layer running {Partitions} partitions on {Workers} workers")]
    private static partial void LogRunning(ILogger logger, int partitions, int workers);
}

using System.Diagnostics;
using Lambda.Batch.Archive;
using Lambda.Batch.Master;
using Lambda.SharedModel.Log;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lambda.Batch.Backfill;

/// <summary>
/// Rebuilds the master dataset from the log: all of it from offset 0 (then swapped in whole), or only the
/// folders of a date range (then swapped in folder by folder). The rebuild goes to <c>&lt;master&gt;.backfill/</c>
/// with its own manifest and plan, so a rerun after a crash continues it and produces the same files as an
/// uninterrupted run; every swap step is a rename that a rerun can tell apart and finish. Afterwards the
/// <see cref="IRecompute"/> hook runs. Holds <see cref="MasterLock"/> throughout: no archive runs meanwhile.
/// </summary>
public sealed partial class BackfillJob
{
    private readonly IEventLog _log;
    private readonly BackfillOptions _options;
    private readonly IRecompute? _recompute;
    private readonly ILogger _logger;
    private readonly string _root;
    private readonly string _rebuild;
    private readonly string _aside;

    public BackfillJob(IEventLog log, BackfillOptions options, IRecompute? recompute = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(options);
        options.Archive.Validate();
        _log = log;
        _options = options;
        _recompute = recompute;
        _logger = logger ?? NullLogger.Instance;
        _root = Path.GetFullPath(options.Archive.MasterRoot).TrimEnd(Path.DirectorySeparatorChar);
        _rebuild = BackfillPaths.Rebuild(_root);
        _aside = BackfillPaths.Aside(_root);
    }

    /// <summary>Called with the name of each step as it completes; tests throw from it to simulate a crash there.</summary>
    internal Action<string>? OnStep { get; set; }

    /// <summary>Runs (or, after a crash, finishes) the backfill, then the recompute.</summary>
    public async Task<BackfillResult> RunAsync(IProgress<ArchiveProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        var requested = _options.Dates;
        BackfillResult result;
        using (MasterDataset.Lock(_root))
        {
            result = FinishPendingSwap(requested)
                ?? await RebuildAndSwapAsync(requested, progress, cancellationToken).ConfigureAwait(false);
        }

        if (_recompute is not null)
        {
            await _recompute.RecomputeAsync(cancellationToken).ConfigureAwait(false);
            result = result with { Recomputed = true };
        }

        return result with { Duration = stopwatch.Elapsed };
    }

    /// <summary>
    /// Finishes a swap a crash interrupted. Returns its result if it was the backfill requested now (nothing
    /// more to do), null if the requested one still has to run.
    /// </summary>
    private BackfillResult? FinishPendingSwap(EventDateRange? requested)
    {
        var plan = BackfillPlan.Load(_root) ?? BackfillPlan.Load(_rebuild);
        if (plan is not { Complete: true })
        {
            return null;
        }

        _logger.LogWarning(BatchLogEvents.BackfillResuming, "finishing the swap of an interrupted backfill of {Root} ({Range})", _root, plan.Range?.ToString() ?? "all dates");
        if (plan.Range is null)
        {
            SwapWhole(plan);
        }
        else
        {
            SwapDates(plan);
        }

        return plan.Range == requested ? Done(plan, rebuild: null) : null;
    }

    private async Task<BackfillResult> RebuildAndSwapAsync(EventDateRange? requested, IProgress<ArchiveProgress>? progress,
        CancellationToken cancellationToken)
    {
        if (Directory.Exists(_aside))
        {
            // Without a complete plan an aside folder is a leftover only while the master itself exists.
            if (!Directory.Exists(_root))
            {
                throw new InvalidOperationException($"'{_aside}' exists but '{_root}' does not, and no backfill swap is pending: restore one of them by hand");
            }

            DeleteTree(_aside);
        }

        var master = ArchiveManifest.Load(_root);
        var plan = BackfillPlan.Load(_rebuild);
        var targets = requested is null ? await LogEndsAsync(cancellationToken).ConfigureAwait(false) : new Dictionary<TopicPartition, long>(master.ArchivedTo);
        // A pending rebuild continues only if it is the same work: same range, and for a range the same
        // master offsets (an archive that ran since would otherwise lose its files in the swap).
        if (plan is null || plan.Range != requested || (requested is not null && !SameTargets(plan.TargetOffsets(), targets)))
        {
            if (Directory.Exists(_rebuild))
            {
                _logger.LogWarning(BatchLogEvents.BackfillDiscarded, "discarding an unfinished backfill of {Root} that does not match this one", _root);
                DeleteTree(_rebuild);
            }

            plan = new BackfillPlan
            {
                From = requested?.From,
                To = requested?.To,
                Targets = [.. targets.Select(t => new BackfillPlan.PlanTarget { Topic = t.Key.Topic, Partition = t.Key.Partition, End = t.Value })],
            };
            Directory.CreateDirectory(_rebuild);
            plan.Save(_rebuild);
        }

        var archive = new ArchiveJob(_log, new ArchiveOptions
        {
            MasterRoot = _rebuild,
            ChunkRecords = _options.Archive.ChunkRecords,
            ReadBatchRecords = _options.Archive.ReadBatchRecords,
            MaxParallelism = _options.Archive.MaxParallelism,
        }, _logger);
        var scope = new ArchiveScope
        {
            Targets = plan.TargetOffsets(),
            Dates = plan.Range,
            TakeLock = false,
            RunKind = plan.Range is null ? "backfill" : "backfill-range",
        };
        var rebuilt = await archive.RunAsync(scope, progress, cancellationToken).ConfigureAwait(false);
        OnStep?.Invoke("rebuilt");

        if (plan.Range is null)
        {
            CompleteWhole(plan, master);
            SwapWhole(plan);
        }
        else
        {
            CompleteDates(plan, plan.Range.Value, master);
            SwapDates(plan);
        }

        return Done(plan, rebuilt);
    }

    private async Task<Dictionary<TopicPartition, long>> LogEndsAsync(CancellationToken cancellationToken)
    {
        var ends = new Dictionary<TopicPartition, long>();
        foreach (var topic in await _log.ListTopicsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!MasterDataset.TopicsArchived.Contains(topic.Name))
            {
                continue;
            }

            for (var p = 0; p < topic.Partitions; p++)
            {
                var offsets = await _log.GetOffsetsAsync(new TopicPartition(topic.Name, p), cancellationToken).ConfigureAwait(false);
                ends[offsets.TopicPartition] = offsets.End;
            }
        }

        return ends;
    }

    private static bool SameTargets(Dictionary<TopicPartition, long> a, Dictionary<TopicPartition, long> b) =>
        a.Count == b.Count && a.All(e => b.TryGetValue(e.Key, out var end) && end == e.Value);

    private static BackfillResult Done(BackfillPlan plan, ArchiveResult? rebuild) => new()
    {
        Dates = plan.Range,
        Rebuild = rebuild,
        Run = plan.Run,
        DatesReplaced = plan.Replace,
    };
}

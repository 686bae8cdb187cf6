using System.Diagnostics;
using Lambda.Batch.Backfill;
using Lambda.Batch.Master;
using Lambda.Batch.ParquetFiles;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lambda.Batch.Archive;

/// <summary>
/// Archives the event log into the master dataset: for every event topic and partition, the records from
/// the manifest's offset to the end offset snapshotted at the start, as Parquet files per event date,
/// each chunk committed in the manifest once its files are durably in place. Crash-safe and idempotent:
/// a rerun first deletes a crashed run's uncommitted files, then continues where the manifest says.
/// </summary>
public sealed class ArchiveJob
{
    /// <summary>
    /// The consumer group the archive commits its archived end offsets to, right after the manifest that
    /// records them is durable: the embedded log's retention guards on it, and Kafka tools show the archive's lag.
    /// </summary>
    public const string ConsumerGroup = "lambda-archive";

    private readonly IEventLog _log;
    private readonly ArchiveOptions _options;
    private readonly ILogger _logger;

    public ArchiveJob(IEventLog log, ArchiveOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _log = log;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Archives everything new in the log. Throws if a backfill is being swapped in (rerun the backfill).</summary>
    public Task<ArchiveResult> RunAsync(IProgress<ArchiveProgress>? progress = null, CancellationToken cancellationToken = default) =>
        RunAsync(ArchiveScope.Everything, progress, cancellationToken);

    internal async Task<ArchiveResult> RunAsync(ArchiveScope scope, IProgress<ArchiveProgress>? progress, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var root = _options.MasterRoot;
        using var masterLock = scope.TakeLock ? MasterDataset.Lock(root) : null;
        if (scope.TakeLock && BackfillPaths.SwapPending(root))
        {
            throw new InvalidOperationException(
                $"a backfill of '{root}' is half swapped in; run 'lambda backfill' again to finish it before archiving");
        }

        Directory.CreateDirectory(root);
        var manifest = ArchiveManifest.Load(root);
        var orphans = OrphanSweeper.Sweep(root, manifest);
        if (orphans > 0)
        {
            _logger.LogWarning(BatchLogEvents.ArchiveOrphansDeleted, "deleted {Orphans} uncommitted files of a crashed run in {Root}", orphans, root);
        }

        var work = await PlanAsync(manifest, scope, cancellationToken).ConfigureAwait(false);
        var total = work.Sum(w => w.End - w.From);
        var run = new RunState(manifest, manifest.LastRun + 1, _options.Time.GetUtcNow(), scope.RunKind, total, progress);
        if (total > 0)
        {
            var staging = MasterDataset.StagingDirectory(root);
            Directory.CreateDirectory(staging);
            // Writers (and their grown buffers) pass from one partition to the next.
            var writers = new ParquetWriterPool(MasterColumns.Columns, _options.FileFormat);
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelism, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(work, parallel, (w, ct) =>
                new ValueTask(ArchivePartitionAsync(root, w, scope, writers, run, ct))).ConfigureAwait(false);
            Directory.Delete(staging, recursive: true);
        }

        progress?.Report(new ArchiveProgress(total, total));
        var result = run.ToResult(orphans, stopwatch.Elapsed);
        _logger.LogInformation(BatchLogEvents.Archived, "archived {Records} records ({Invalid} invalid skipped) into {Files} files in {Seconds:F2} s",
            result.Records, result.InvalidSkipped, result.Files, result.Duration.TotalSeconds);
        if (result.RecordsRead > 0)
        {
            _logger.LogDebug(BatchLogEvents.ArchiveStageCpu, "archive stages, thread CPU seconds per million events: {Stages}",
                result.Timings.CpuSecondsPerMillion(result.RecordsRead));
        }

        return result;
    }

    private async Task ArchivePartitionAsync(string root, PartitionWork work, ArchiveScope scope, ParquetWriterPool writers,
        RunState run, CancellationToken cancellationToken)
    {
        using var reader = _log.CreateReader();
        using var archiver = new PartitionArchiver(reader, root, work.TopicPartition, scope.Dates, _options, writers, run.Timings);
        var from = work.From;
        while (from < work.End)
        {
            // Aligned to absolute multiples of the chunk size: a resumed run cuts files where an uninterrupted one does.
            var to = Math.Min(work.End, ((from / _options.ChunkRecords) + 1) * _options.ChunkRecords);
            var outcome = await archiver.ArchiveChunkAsync(from, to, run.AddDone, cancellationToken).ConfigureAwait(false);
            var clock = new StageClock(run.Timings);
            run.Commit(root, work.TopicPartition, outcome);
            if (scope.Targets is null)
            {
                // Only the live master's own archive: a backfill's rebuild may never be swapped in.
                await CommitOffsetAsync(work.TopicPartition, outcome.NextOffset, cancellationToken).ConfigureAwait(false);
            }

            clock.Lap(ArchiveStage.Manifest);
            from = to;
        }
    }

    private async Task CommitOffsetAsync(TopicPartition topicPartition, long nextOffset, CancellationToken cancellationToken)
    {
        try
        {
            await _log.CommitAsync(ConsumerGroup, [new TopicPartitionOffset(topicPartition, nextOffset)], cancellationToken).ConfigureAwait(false);
        }
        catch (NotSupportedException)
        {
            // A read-only embedded log (`lambda archive` beside `lambda run`) cannot commit: the owner's
            // retention then keeps these records, since this group's offset stays behind them.
        }
    }

    /// <summary>Every event partition with something to archive, from the manifest's offset to the target.</summary>
    private async Task<List<PartitionWork>> PlanAsync(ArchiveManifest manifest, ArchiveScope scope, CancellationToken cancellationToken)
    {
        var work = new List<PartitionWork>();
        if (scope.Targets is { } targets)
        {
            foreach (var (topicPartition, end) in targets)
            {
                Add(topicPartition, end);
            }
        }
        else
        {
            var topics = await _log.ListTopicsAsync(cancellationToken).ConfigureAwait(false);
            foreach (var topic in topics.Where(t => MasterDataset.TopicsArchived.Contains(t.Name)))
            {
                for (var p = 0; p < topic.Partitions; p++)
                {
                    var offsets = await _log.GetOffsetsAsync(new TopicPartition(topic.Name, p), cancellationToken).ConfigureAwait(false);
                    Add(offsets.TopicPartition, offsets.End);
                }
            }
        }

        foreach (var w in work)
        {
            // Records below the log's start were deleted (retention) before this archive read them: never skip them silently.
            var start = (await _log.GetOffsetsAsync(w.TopicPartition, cancellationToken).ConfigureAwait(false)).Start;
            if (w.From < start)
            {
                throw new InvalidOperationException(
                    $"cannot archive {w.TopicPartition.Topic} partition {w.TopicPartition.Partition}: offsets {w.From}..{start - 1} are no longer in the log (it starts at {start}); they were deleted before they were archived (is '{ConsumerGroup}' among the log's retention guards?)");
            }
        }

        // Largest first, so the last worker does not start a big partition alone.
        work.Sort((a, b) => (b.End - b.From).CompareTo(a.End - a.From));
        return work;

        void Add(TopicPartition topicPartition, long end)
        {
            var from = manifest.ArchivedUpTo(topicPartition.Topic, topicPartition.Partition);
            if (end > from && Topics.TryGetKind(topicPartition.Topic, out _))
            {
                work.Add(new PartitionWork(topicPartition, from, end));
            }
        }
    }

    private sealed record PartitionWork(TopicPartition TopicPartition, long From, long End);
}

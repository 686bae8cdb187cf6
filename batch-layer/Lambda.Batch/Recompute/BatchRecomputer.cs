using System.Globalization;
using System.Text.Json;
using Lambda.Batch.Backfill;
using Lambda.Batch.Drift;
using Lambda.DuckDb;
using Lambda.SharedModel.Views;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lambda.Batch.Recompute;

/// <summary>
/// The batch layer's exact recompute: reads the master dataset, computes the exact views of every
/// complete day (only the dirty ones when a previous version can supply the rest), validates them,
/// writes them as a new version folder of Parquet files, loads them into the view store and flips the
/// current version, then prunes old versions and records the speed layer's drift.
/// </summary>
public sealed partial class BatchRecomputer : IRecompute
{
    private readonly IViewStore _store;
    private readonly RecomputeOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly BatchPaths _paths;
    private readonly BatchVersionCatalog _catalog;
    private readonly RecomputePlanner _planner;
    private readonly BatchVersionBuilder _builder;
    private readonly BatchVersionPublisher _publisher;

    public BatchRecomputer(IViewStore store, RecomputeOptions options, ILogger? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _store = store;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _paths = options.Paths;
        _catalog = new BatchVersionCatalog(store, _paths);
        _planner = new RecomputePlanner(store, _paths, options.CompletenessCutoff);
        _builder = new BatchVersionBuilder(store, options);
        _publisher = new BatchVersionPublisher(store, _paths, options.StoreChunkRows);
    }

    /// <summary>
    /// Recomputes, validates and publishes one batch version; <paramref name="stages"/> is told each stage as it
    /// starts. Only one runs at a time per data directory (<see cref="BatchJobLock"/>).
    /// </summary>
    public async Task<RecomputeResult> RunAsync(RecomputeRequest request, CancellationToken cancellationToken = default, IProgress<string>? stages = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var jobLock = _paths.LockBatchJobs();
        await _catalog.CleanUpAbandonedAsync(cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(_paths.TempRoot);
        var timings = new RecomputeTimings(stages);
        var snapshot = timings.Measure("snapshot", () => MasterSnapshot.Scan(_paths.MasterRoot));
        using var memory = RecomputeDatabase.HoldFreedMemory(_options.RetainedMemory);
        using var database = DuckDbDatabase.OpenInMemory(
            RecomputeDatabase.Options(_options.Threads, _options.MemoryLimit, _options.RetainedMemory, Path.Combine(_paths.TempRoot, "duckdb")));
        using var connection = database.Connect();
        var planning = await _planner.PlanAsync(connection, snapshot, request, timings, cancellationToken).ConfigureAwait(false);
        if (planning.Plan is not { } plan)
        {
            LogNothingToDo(_logger, planning.NothingToDo!);
            return Empty(RecomputeOutcome.NothingToDo, planning.WatermarkMs);
        }

        var versionId = await _catalog.NextVersionIdAsync(cancellationToken).ConfigureAwait(false);
        LogPlan(_logger, versionId, IsoDate(plan.WatermarkMs), plan.Recompute.Count, plan.Copy.Count, plan.Base?.VersionId);
        var staged = _builder.Build(connection, snapshot, plan, versionId, timings, cancellationToken);
        if (staged.Problems.Count > 0)
        {
            return RecordFailure(versionId, plan, staged.Problems);
        }

        var createdAt = _time.GetUtcNow();
        if (await _publisher.PublishAsync(connection, snapshot, plan, staged, createdAt, timings, cancellationToken).ConfigureAwait(false) is { } problem)
        {
            return RecordFailure(versionId, plan, [problem]);
        }

        LogPublished(_logger, versionId, IsoDate(plan.WatermarkMs), staged.Rows);
        await PruneAsync(cancellationToken).ConfigureAwait(false);
        if (_options.ComputeDrift && plan.Recompute.Count > 0)
        {
            await RecordDriftAsync(connection, plan, versionId, createdAt, timings, cancellationToken).ConfigureAwait(false);
        }

        LogTimings(_logger, versionId, timings.ToString());
        return new RecomputeResult(RecomputeOutcome.Published, versionId, plan.WatermarkMs, plan.Base?.VersionId, plan.Recompute, plan.Copy, staged.Rows, []);
    }

    /// <summary>The backfill's hook: an incremental run (the manifest's runs say which dates the backfill rebuilt).</summary>
    public Task RecomputeAsync(CancellationToken cancellationToken) => RunAsync(new RecomputeRequest(), cancellationToken);

    /// <summary>Drops the old versions beyond <see cref="RecomputeOptions.KeepVersions"/>.</summary>
    private async Task PruneAsync(CancellationToken cancellationToken)
    {
        var pruned = await _catalog.PruneAsync(_options.KeepVersions, cancellationToken).ConfigureAwait(false);
        if (pruned.Count > 0)
        {
            LogPruned(_logger, string.Join(", ", pruned));
        }
    }

    /// <summary>Writes the speed layer's drift from the exact rows of the recomputed days (<c>lambda batch drift</c>).</summary>
    private Task RecordDriftAsync(DuckDbConnection connection, RecomputePlan plan, long versionId, DateTimeOffset createdAt,
        RecomputeTimings timings, CancellationToken cancellationToken) =>
        timings.MeasureAsync("drift", async () =>
        {
            var report = await DriftCalculator.ComputeAsync(_store, connection, _paths.VersionDirectory(versionId), versionId, plan.WatermarkMs,
                plan.Recompute, createdAt, cancellationToken).ConfigureAwait(false);
            DriftReports.Write(_paths, report);
        });

    /// <summary>Writes <c>batch/failures/v&lt;N&gt;.json</c>: the current version stays.</summary>
    private RecomputeResult RecordFailure(long versionId, RecomputePlan plan, IReadOnlyList<string> problems)
    {
        Directory.CreateDirectory(_paths.FailuresRoot);
        var failure = new BatchValidationFailure(versionId, plan.WatermarkMs, _time.GetUtcNow(), plan.Base?.VersionId, plan.Recompute, problems);
        File.WriteAllText(_paths.FailureFile(versionId), JsonSerializer.Serialize(failure, BatchVersionManifest.JsonOptions));
        LogValidationFailed(_logger, versionId, string.Join("; ", problems));
        return new RecomputeResult(RecomputeOutcome.ValidationFailed, versionId, plan.WatermarkMs, plan.Base?.VersionId, plan.Recompute, plan.Copy, 0, problems);
    }

    private static RecomputeResult Empty(RecomputeOutcome outcome, long? watermark) =>
        new(outcome, null, watermark, null, [], [], 0, []);

    private static string IsoDate(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = BatchLogEvents.RecomputeNothingToDo, Level = LogLevel.Information, Message = "Batch recompute: nothing to do ({Reason})")]
    private static partial void LogNothingToDo(ILogger logger, string reason);

    [LoggerMessage(EventId = BatchLogEvents.RecomputeStarting, Level = LogLevel.Information, Message = "Batch version {Version}: W {Watermark}, recomputing {Recompute} days, copying {Copy} from version {Base}")]
    private static partial void LogPlan(ILogger logger, long version, string watermark, int recompute, int copy, long? @base);

    [LoggerMessage(EventId = BatchLogEvents.VersionCurrent, Level = LogLevel.Information, Message = "Batch version {Version} is current: W {Watermark}, {Rows} rows")]
    private static partial void LogPublished(ILogger logger, long version, string watermark, long rows);

    [LoggerMessage(EventId = BatchLogEvents.VersionInvalid, Level = LogLevel.Warning, Message = "Batch version {Version} failed validation, the current version stays: {Problems}")]
    private static partial void LogValidationFailed(ILogger logger, long version, string problems);

    [LoggerMessage(EventId = BatchLogEvents.StageTimings, Level = LogLevel.Debug, Message = "Batch version {Version} stage timings: {Timings}")]
    private static partial void LogTimings(ILogger logger, long version, string timings);

    [LoggerMessage(EventId = BatchLogEvents.VersionsPruned, Level = LogLevel.Information, Message = "Pruned batch versions {Versions}")]
    private static partial void LogPruned(ILogger logger, string versions);
}

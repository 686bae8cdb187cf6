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
    }

    /// <summary>Runs one recompute. Only one runs at a time per data directory (<see cref="BatchJobLock"/>).</summary>
    /// <summary>Claims the campaigns the store has never seen and returns every accepted owner pair.</summary>
    private IReadOnlyList<CampaignInfo> ResolveOwners(IReadOnlyList<CampaignInfo> firstClaims)
    {
        // The computation runs synchronously inside DuckDB's stages; the store is asked in between.
        for (var i = 0; i < firstClaims.Count; i += 10_000)
        {
            _store.ClaimCampaignsAsync([.. firstClaims.Skip(i).Take(10_000)]).GetAwaiter().GetResult();
        }

        return _store.ReadCampaignOwnersAsync().GetAwaiter().GetResult();
    }

    /// <summary>Recomputes, validates and publishes one batch version; <paramref name="stages"/> is told each stage as it starts.</summary>
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
        var newest = timings.Measure("newest log time", () => ExactViewComputation.NewestLogTime(connection, snapshot.Files));
        if (newest is null)
        {
            LogNothingToDo(_logger, "the master dataset is empty");
            return Empty(RecomputeOutcome.NothingToDo, null);
        }

        var watermark = BatchWatermark.Compute(newest.Value, _options.CompletenessCutoff);
        var complete = snapshot.Dates.Where(d => BatchWatermark.IsBefore(d, watermark)).ToList();
        if (complete.Count == 0)
        {
            LogNothingToDo(_logger, "no day is complete yet");
            return Empty(RecomputeOutcome.NothingToDo, watermark);
        }

        var current = await _store.GetCurrentBatchVersionAsync(cancellationToken).ConfigureAwait(false);
        var baseDirectory = current is null ? null : _paths.VersionDirectory(current.VersionId);
        var baseManifest = baseDirectory is null ? null : BatchVersionManifest.TryRead(baseDirectory);
        var plan = timings.Measure("plan", () => RecomputePlan.Make(snapshot, complete, watermark, baseManifest, baseDirectory, request,
            files => ExactViewComputation.ServedAds(connection, files)));
        var versionId = await _catalog.NextVersionIdAsync(cancellationToken).ConfigureAwait(false);
        LogPlan(_logger, versionId, IsoDate(watermark), plan.Recompute.Count, plan.Copy.Count, plan.Base?.VersionId);

        var computation = new ExactViewComputation(connection, _options.BotRules, snapshot, ResolveOwners, timings, _options.FileFormat);
        var days = computation.ComputeDays([.. plan.Recompute], snapshot, cancellationToken: cancellationToken);

        if (plan.Base is { } baseVersion)
        {
            timings.Measure("copy days", () => computation.CopyDays(plan.BaseDirectory!, plan.Copy));
            days.AddRange(baseVersion.Days.Where(d => plan.Copy.Contains(d.Date)));
        }

        days.Sort((a, b) => a.Date.CompareTo(b.Date));
        computation.CreateFinalRows(withCopiedRows: plan.Base is not null && plan.Copy.Count > 0);
        var staging = Path.Combine(_paths.TempRoot, BatchPaths.VersionName(versionId));
        Directory.CreateDirectory(staging);
        // One part per DuckDB thread: the minute file is written in that many parts at once.
        var (problems, minuteRows, hourRows, dayRows) = computation.ValidateAndWrite(days, watermark, staging, MinuteParts(_options.Threads));
        if (problems.Count > 0)
        {
            Directory.Delete(staging, recursive: true);
            return RecordFailure(versionId, watermark, plan, problems);
        }

        var createdAt = _time.GetUtcNow();
        var coveredOffsets = snapshot.CoveredOffsetsJson();
        new BatchVersionManifest(versionId, watermark, createdAt, plan.Base?.VersionId, plan.Recompute,
            [.. snapshot.Files.Select(f => f.RelativePath)], JsonDocument.Parse(coveredOffsets).RootElement.Clone(),
            snapshot.Manifest?.LastRun ?? 0,
            days, minuteRows, hourRows, dayRows).Write(staging);
        var versionDirectory = _paths.VersionDirectory(versionId);
        Directory.CreateDirectory(_paths.ViewsRoot);
        Directory.Move(staging, versionDirectory);

        var rows = minuteRows + hourRows + dayRows;
        await _store.CreateBatchVersionAsync(
            new BatchVersionInfo(versionId, watermark, createdAt, coveredOffsets, 0, BatchVersionStates.Loading), cancellationToken).ConfigureAwait(false);
        var loadStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        var (loaded, problem) = await BatchViewLoader.LoadAsync(_store, connection, versionDirectory, versionId,
            [.. days.Select(d => d.Date)], _options.StoreChunkRows, cancellationToken).ConfigureAwait(false);
        timings.Add("store load", System.Diagnostics.Stopwatch.GetElapsedTime(loadStarted));
        if (problem is null && loaded != rows)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"loaded {loaded} rows into the store, the files hold {rows}");
        }

        if (problem is not null)
        {
            await _store.DeleteBatchVersionAsync(versionId, cancellationToken).ConfigureAwait(false);
            Directory.Delete(versionDirectory, recursive: true);
            return RecordFailure(versionId, watermark, plan, [problem]);
        }

        await _store.MarkBatchVersionReadyAsync(versionId, rows, cancellationToken).ConfigureAwait(false);
        await _store.SetCurrentBatchVersionAsync(versionId, cancellationToken).ConfigureAwait(false);
        LogPublished(_logger, versionId, IsoDate(watermark), rows);
        var pruned = await _catalog.PruneAsync(_options.KeepVersions, cancellationToken).ConfigureAwait(false);
        if (pruned.Count > 0)
        {
            LogPruned(_logger, string.Join(", ", pruned));
        }

        if (_options.ComputeDrift && plan.Recompute.Count > 0)
        {
            var driftStarted = System.Diagnostics.Stopwatch.GetTimestamp();
            var report = await DriftCalculator.ComputeAsync(_store, connection, versionDirectory, versionId, watermark,
                plan.Recompute, createdAt, cancellationToken).ConfigureAwait(false);
            DriftReports.Write(_paths, report);
            timings.Add("drift", System.Diagnostics.Stopwatch.GetElapsedTime(driftStarted));
        }

        LogTimings(_logger, versionId, timings.ToString());

        return new RecomputeResult(RecomputeOutcome.Published, versionId, watermark, plan.Base?.VersionId, plan.Recompute, plan.Copy, rows, []);
    }

    /// <summary>The backfill's hook: an incremental run (the manifest's runs say which dates the backfill rebuilt).</summary>
    public Task RecomputeAsync(CancellationToken cancellationToken) => RunAsync(new RecomputeRequest(), cancellationToken);

    private RecomputeResult RecordFailure(long versionId, long watermark, RecomputePlan plan, IReadOnlyList<string> problems)
    {
        Directory.CreateDirectory(_paths.FailuresRoot);
        var failure = new BatchValidationFailure(versionId, watermark, _time.GetUtcNow(), plan.Base?.VersionId, plan.Recompute, problems);
        File.WriteAllText(_paths.FailureFile(versionId), JsonSerializer.Serialize(failure, BatchVersionManifest.JsonOptions));
        LogValidationFailed(_logger, versionId, string.Join("; ", problems));
        return new RecomputeResult(RecomputeOutcome.ValidationFailed, versionId, watermark, plan.Base?.VersionId, plan.Recompute, plan.Copy, 0, problems);
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

    /// <summary>The minute file's parts: one per DuckDB thread (all cores when unset), at most 8.</summary>
    internal static int MinuteParts(int? threads) => Math.Clamp(threads ?? Environment.ProcessorCount, 1, 8);
}

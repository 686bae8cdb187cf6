using System.Globalization;
using System.Text.Json;
using Lambda.DuckDb;
using Lambda.SharedModel.Views;

namespace Lambda.Batch.Recompute;

/// <summary>
/// A recompute's publishing stage: <c>version.json</c> written into the staged folder, the folder renamed
/// into <c>batch/views/</c>, the version loaded into the store from its files (<see cref="BatchViewLoader"/>)
/// and, once the store holds exactly the files' rows, marked ready and made current (the flip). A load
/// that fails drops the version from the store and the disk, so the current version stays.
/// </summary>
internal sealed class BatchVersionPublisher(IViewStore store, BatchPaths paths, int storeChunkRows)
{
    /// <summary>Publishes <paramref name="staged"/>; returns why it could not (the version is gone then), or null once it is current.</summary>
    public async Task<string?> PublishAsync(DuckDbConnection connection, MasterSnapshot snapshot, RecomputePlan plan, StagedVersion staged,
        DateTimeOffset createdAt, RecomputeTimings timings, CancellationToken cancellationToken)
    {
        var versionId = staged.VersionId;
        var coveredOffsets = snapshot.CoveredOffsetsJson();
        new BatchVersionManifest(versionId, plan.WatermarkMs, createdAt, plan.Base?.VersionId, plan.Recompute,
            [.. snapshot.Files.Select(f => f.RelativePath)], JsonDocument.Parse(coveredOffsets).RootElement.Clone(),
            snapshot.Manifest?.LastRun ?? 0,
            staged.Days, staged.MinuteRows, staged.HourRows, staged.DayRows).Write(staged.Directory);
        var versionDirectory = paths.VersionDirectory(versionId);
        Directory.CreateDirectory(paths.ViewsRoot);
        Directory.Move(staged.Directory, versionDirectory);

        await store.CreateBatchVersionAsync(
            new BatchVersionInfo(versionId, plan.WatermarkMs, createdAt, coveredOffsets, 0, BatchVersionStates.Loading), cancellationToken).ConfigureAwait(false);
        var (loaded, problem) = await timings.MeasureAsync("store load", () => BatchViewLoader.LoadAsync(store, connection, versionDirectory, versionId,
            [.. staged.Days.Select(d => d.Date)], storeChunkRows, cancellationToken)).ConfigureAwait(false);
        if (problem is null && loaded != staged.Rows)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"loaded {loaded} rows into the store, the files hold {staged.Rows}");
        }

        if (problem is not null)
        {
            await store.DeleteBatchVersionAsync(versionId, cancellationToken).ConfigureAwait(false);
            Directory.Delete(versionDirectory, recursive: true);
            return problem;
        }

        await store.MarkBatchVersionReadyAsync(versionId, staged.Rows, cancellationToken).ConfigureAwait(false);
        await store.SetCurrentBatchVersionAsync(versionId, cancellationToken).ConfigureAwait(false);
        return null;
    }
}

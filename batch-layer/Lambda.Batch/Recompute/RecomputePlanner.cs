using Lambda.DuckDb;
using Lambda.SharedModel.Views;

namespace Lambda.Batch.Recompute;

/// <summary>
/// A recompute's first stage, after the snapshot: W from the newest archived log time, the days complete
/// before it, and the plan against the current version (<see cref="RecomputePlan.Make"/>: which days to
/// compute, which to copy). Reads the store's current version; writes nothing.
/// </summary>
internal sealed class RecomputePlanner(IViewStore store, BatchPaths paths, TimeSpan completenessCutoff)
{
    public async Task<RecomputePlanning> PlanAsync(DuckDbConnection connection, MasterSnapshot snapshot, RecomputeRequest request,
        RecomputeTimings timings, CancellationToken cancellationToken)
    {
        var newest = timings.Measure("newest log time", () => ExactViewComputation.NewestLogTime(connection, snapshot.Files));
        if (newest is null)
        {
            return RecomputePlanning.Idle("the master dataset is empty", null);
        }

        var watermark = BatchWatermark.Compute(newest.Value, completenessCutoff);
        var complete = snapshot.Dates.Where(d => BatchWatermark.IsBefore(d, watermark)).ToList();
        if (complete.Count == 0)
        {
            return RecomputePlanning.Idle("no day is complete yet", watermark);
        }

        var current = await store.GetCurrentBatchVersionAsync(cancellationToken).ConfigureAwait(false);
        var baseDirectory = current is null ? null : paths.VersionDirectory(current.VersionId);
        var baseManifest = baseDirectory is null ? null : BatchVersionManifest.TryRead(baseDirectory);
        return RecomputePlanning.Planned(timings.Measure("plan", () => RecomputePlan.Make(snapshot, complete, watermark, baseManifest, baseDirectory,
            request, files => ExactViewComputation.ServedAds(connection, files))));
    }
}

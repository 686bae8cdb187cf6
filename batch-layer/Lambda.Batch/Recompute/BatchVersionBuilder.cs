using Lambda.DuckDb;
using Lambda.SharedModel.Views;

namespace Lambda.Batch.Recompute;

/// <summary>
/// A recompute's computing stage: the plan's days computed from the master dataset
/// (<see cref="ExactViewComputation"/>), the others copied from the base version, validated, and the
/// version's Parquet files written into its staging folder. Touches the store only to claim campaigns
/// and read their owners.
/// </summary>
internal sealed class BatchVersionBuilder(IViewStore store, RecomputeOptions options)
{
    public StagedVersion Build(DuckDbConnection connection, MasterSnapshot snapshot, RecomputePlan plan, long versionId,
        RecomputeTimings timings, CancellationToken cancellationToken)
    {
        var computation = new ExactViewComputation(connection, options.BotRules, snapshot, ResolveOwners, timings, options.FileFormat);
        var days = computation.ComputeDays([.. plan.Recompute], snapshot, cancellationToken: cancellationToken);
        if (plan.Base is { } baseVersion)
        {
            timings.Measure("copy days", () => computation.CopyDays(plan.BaseDirectory!, plan.Copy));
            days.AddRange(baseVersion.Days.Where(d => plan.Copy.Contains(d.Date)));
        }

        days.Sort((a, b) => a.Date.CompareTo(b.Date));
        computation.CreateFinalRows(withCopiedRows: plan.Base is not null && plan.Copy.Count > 0);
        var staging = Path.Combine(options.Paths.TempRoot, BatchPaths.VersionName(versionId));
        Directory.CreateDirectory(staging);
        // One part per DuckDB thread: the minute file is written in that many parts at once.
        var (problems, minuteRows, hourRows, dayRows) = computation.ValidateAndWrite(days, plan.WatermarkMs, staging, MinuteParts(options.Threads));
        if (problems.Count > 0)
        {
            // The files are written even when validation fails (they are written beside it).
            Directory.Delete(staging, recursive: true);
        }

        return new StagedVersion(versionId, staging, days, problems, minuteRows, hourRows, dayRows);
    }

    /// <summary>The minute file's parts: one per DuckDB thread (all cores when unset), at most 8.</summary>
    internal static int MinuteParts(int? threads) => Math.Clamp(threads ?? Environment.ProcessorCount, 1, 8);

    /// <summary>Claims the campaigns the store has never seen and returns every accepted owner pair.</summary>
    private IReadOnlyList<CampaignInfo> ResolveOwners(IReadOnlyList<CampaignInfo> firstClaims)
    {
        // The computation runs synchronously inside DuckDB's stages; the store is asked in between.
        for (var i = 0; i < firstClaims.Count; i += 10_000)
        {
            store.ClaimCampaignsAsync([.. firstClaims.Skip(i).Take(10_000)]).GetAwaiter().GetResult();
        }

        return store.ReadCampaignOwnersAsync().GetAwaiter().GetResult();
    }
}

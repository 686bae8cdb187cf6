namespace Lambda.Batch.Recompute;

/// <summary>What the planning stage decided: a plan to run, or why there is nothing to do.</summary>
/// <param name="Plan">The days to compute and copy; null when there is nothing to do.</param>
/// <param name="NothingToDo">Why no version is made (logged); null when there is a plan.</param>
/// <param name="WatermarkMs">W, when the master dataset gave one.</param>
internal sealed record RecomputePlanning(RecomputePlan? Plan, string? NothingToDo, long? WatermarkMs)
{
    public static RecomputePlanning Planned(RecomputePlan plan) => new(plan, null, plan.WatermarkMs);

    public static RecomputePlanning Idle(string reason, long? watermarkMs) => new(null, reason, watermarkMs);
}

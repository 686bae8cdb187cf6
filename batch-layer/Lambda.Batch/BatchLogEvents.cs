namespace Lambda.Batch;

/// <summary>
/// The event ids of the batch layer's log lines (4000-4099), all here so that no two lines share one:
/// docs/reliability.md and the chaos tests match lines on them ("Lambda.Batch.Recompute[4002]").
/// </summary>
internal static class BatchLogEvents
{
    public const int RecomputeNothingToDo = 4001;
    public const int RecomputeStarting = 4002;
    public const int VersionCurrent = 4003;
    public const int VersionInvalid = 4004;
    public const int VersionsPruned = 4005;
    public const int StageTimings = 4006;
    public const int ArchiveOrphansDeleted = 4010;
    public const int Archived = 4011;
    public const int ArchiveStageCpu = 4012;
    public const int BackfillResuming = 4020;
    public const int BackfillDiscarded = 4021;
    public const int BackfillMasterReplaced = 4022;
    public const int BackfillDatesReplaced = 4023;
}

namespace Lambda.Jobs;

/// <summary>
/// The event ids of the scheduler's log lines (6000-6099), all here so that no two lines share one:
/// alerting matches on them (<see cref="JobFailed"/> is the alert of a failed job).
/// </summary>
internal static class JobsLogEvents
{
    public const int JobStarted = 6000;
    public const int JobSucceeded = 6001;
    public const int JobRetrying = 6002;
    public const int JobFailed = 6003;
    public const int JobCancelled = 6004;
    public const int SchedulerStarted = 6005;
    public const int ScheduleChanged = 6006;
    public const int SpeedRetentionDeleted = 6007;
    public const int SpeedRetentionWaiting = 6008;
    public const int HistoryWriteFailed = 6009;
}

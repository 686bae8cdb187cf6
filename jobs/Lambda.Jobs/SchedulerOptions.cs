namespace Lambda.Jobs;

/// <summary>
/// Settings of <see cref="JobScheduler"/>. <see cref="Validate"/> checks them all in one place and
/// names the setting at fault (the host maps it to its configuration key).
/// </summary>
public sealed class SchedulerOptions
{
    /// <summary>
    /// Cron of the nightly recompute, in <see cref="TimeZone"/>: five fields, or six with seconds first
    /// (Quartz style, <c>?</c> allowed). Default 02:00 every day.
    /// </summary>
    public string RecomputeCron { get; init; } = "0 0 2 * * ?";

    /// <summary>Cron of the archive. Default five past every hour, so a whole hour of log is ready.</summary>
    public string ArchiveCron { get; init; } = "0 5 * * * ?";

    /// <summary>Cron of the speed-row retention. Default 03:30, after the nightly recompute.</summary>
    public string RetentionCron { get; init; } = "0 30 3 * * ?";

    /// <summary>The time zone the crons are read in (an IANA or Windows id), unless a job names its own. Default UTC.</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>The time zone of <see cref="RecomputeCron"/>; null: <see cref="TimeZone"/>.</summary>
    public string? RecomputeTimeZone { get; init; }

    /// <summary>The time zone of <see cref="ArchiveCron"/>; null: <see cref="TimeZone"/>.</summary>
    public string? ArchiveTimeZone { get; init; }

    /// <summary>The time zone of <see cref="RetentionCron"/>; null: <see cref="TimeZone"/>.</summary>
    public string? RetentionTimeZone { get; init; }

    /// <summary>
    /// How long speed rows are kept once the batch view covers them (they stay readable if a later batch
    /// run fails, so the merge never has a gap). Longer costs store space; shorter risks uncovered buckets.
    /// </summary>
    public TimeSpan RetentionGrace { get; init; } = TimeSpan.FromDays(2);

    /// <summary>
    /// Where Hangfire keeps the schedule and its queue: "sqlite" (a file; <see cref="ConnectionString"/>
    /// is its path), "postgres" (a connection string; clustered) or "memory" (nothing survives a
    /// restart, so a missed run is lost).
    /// </summary>
    public string Store { get; init; } = "sqlite";

    /// <summary>The SQLite file path or the PostgreSQL connection string of the Hangfire store.</summary>
    public string ConnectionString { get; init; } = "scheduler.db";

    /// <summary>PostgreSQL schema of Hangfire's tables; schedulers sharing one are one cluster.</summary>
    public string SchemaName { get; init; } = "lambda";

    /// <summary>This scheduler's id in the cluster; unique per process. Default: host name and process id.</summary>
    public string InstanceId { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>Attempts per run (the first plus retries of transient errors). 1 turns retries off.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>Delay before the first retry, doubling each time (with jitter).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often an idle scheduler looks at its store for queued runs (a manual trigger, another node's
    /// work). Shorter starts them sooner, at the cost of a query each time (the main source of idle CPU);
    /// 2 s keeps a manual trigger (the demo's first recompute, the dashboard's "trigger now") prompt for one cheap query.
    /// </summary>
    public TimeSpan IdleWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often the recurring schedule is checked for runs that came due. Null: every second when a
    /// cron names seconds, else at each minute boundary (the crons cannot come due in between).
    /// </summary>
    public TimeSpan? SchedulePollInterval { get; init; }

    /// <summary>How late a run may start and still count as on time; later is a catch-up of a missed run.</summary>
    public TimeSpan MisfireThreshold { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How often a scheduler reports itself alive; one silent for four times as long is failed over.</summary>
    public TimeSpan ClusterCheckinInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Each job's cron and time zone id, by job name.</summary>
    public IReadOnlyDictionary<string, JobSchedule> Schedules => new Dictionary<string, JobSchedule>(StringComparer.Ordinal)
    {
        [JobNames.Archive] = new(ArchiveCron, ArchiveTimeZone ?? TimeZone),
        [JobNames.Recompute] = new(RecomputeCron, RecomputeTimeZone ?? TimeZone),
        [JobNames.SpeedRetention] = new(RetentionCron, RetentionTimeZone ?? TimeZone),
    };

    /// <summary>Throws <see cref="ArgumentException"/> whose ParamName is the setting at fault.</summary>
    public void Validate()
    {
        foreach (var (name, cron) in new[] { (nameof(RecomputeCron), RecomputeCron), (nameof(ArchiveCron), ArchiveCron), (nameof(RetentionCron), RetentionCron) })
        {
            if (CronText.Problem(cron) is { } problem)
            {
                throw new ArgumentException($"'{cron}' is not a valid cron expression: {problem}", name);
            }
        }

        foreach (var (name, zone) in new[] { (nameof(TimeZone), TimeZone), (nameof(RecomputeTimeZone), RecomputeTimeZone), (nameof(ArchiveTimeZone), ArchiveTimeZone), (nameof(RetentionTimeZone), RetentionTimeZone) })
        {
            Require(zone is null || TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _), name, $"'{zone}' is not a known time zone id (e.g. UTC, Europe/Paris)");
        }
        Require(Store is "sqlite" or "postgres" or "memory", nameof(Store), $"must be sqlite, postgres or memory (was '{Store}')");
        Require(Store == "memory" || !string.IsNullOrWhiteSpace(ConnectionString), nameof(ConnectionString), "is required");
        Require(!string.IsNullOrWhiteSpace(SchemaName), nameof(SchemaName), "is required");
        Require(!string.IsNullOrWhiteSpace(InstanceId), nameof(InstanceId), "is required");
        Require(MaxAttempts >= 1, nameof(MaxAttempts), $"must be at least 1 (was {MaxAttempts})");
        Require(RetryDelay >= TimeSpan.Zero, nameof(RetryDelay), "must not be negative");
        Require(RetentionGrace >= TimeSpan.Zero, nameof(RetentionGrace), "must not be negative");
        Require(IdleWait >= TimeSpan.FromMilliseconds(100), nameof(IdleWait), "must be at least 100 ms");
        Require(SchedulePollInterval is null || SchedulePollInterval >= TimeSpan.FromMilliseconds(10), nameof(SchedulePollInterval), "must be at least 10 ms");
        Require(MisfireThreshold >= TimeSpan.FromSeconds(1), nameof(MisfireThreshold), "must be at least 1 s");
        Require(ClusterCheckinInterval >= TimeSpan.FromSeconds(1), nameof(ClusterCheckinInterval), "must be at least 1 s");
    }

    private static void Require(bool condition, string setting, string problem)
    {
        if (!condition)
        {
            throw new ArgumentException($"{setting} {problem}", setting);
        }
    }
}

using System.CommandLine;
using Lambda.Cli.CommandLine;
using Lambda.Jobs;

namespace Lambda.Cli.Hosting;

/// <summary>The scheduler's settings: flags (also read from the config file and LAMBDA_* variables).</summary>
internal sealed class SchedulerSettings
{
    /// <summary>The setting keys, by <see cref="SchedulerOptions"/> property.</summary>
    private static readonly Dictionary<string, string> KeyOf = new(StringComparer.Ordinal)
    {
        [nameof(SchedulerOptions.RecomputeCron)] = "recompute_cron",
        [nameof(SchedulerOptions.ArchiveCron)] = "archive_cron",
        [nameof(SchedulerOptions.RetentionCron)] = "retention_cron",
        [nameof(SchedulerOptions.TimeZone)] = "schedule_time_zone",
        [nameof(SchedulerOptions.RecomputeTimeZone)] = "recompute_time_zone",
        [nameof(SchedulerOptions.ArchiveTimeZone)] = "archive_time_zone",
        [nameof(SchedulerOptions.RetentionTimeZone)] = "retention_time_zone",
        [nameof(SchedulerOptions.RetentionGrace)] = "retention_grace",
        [nameof(SchedulerOptions.Store)] = "scheduler_store",
        [nameof(SchedulerOptions.ConnectionString)] = "scheduler_pg",
        [nameof(SchedulerOptions.InstanceId)] = "scheduler_instance",
        [nameof(SchedulerOptions.MaxAttempts)] = "job_attempts",
    };

    public static IEnumerable<string> Keys => KeyOf.Values.Append("batch_threads");

    public Option<string?> RecomputeCron { get; } = new("--recompute-cron") { Description = "Cron of the nightly recompute: 5 fields, or 6 with seconds first (default '0 0 2 * * ?', 02:00)." };
    public Option<string?> ArchiveCron { get; } = new("--archive-cron") { Description = "Cron of the archive (default '0 5 * * * ?', hourly)." };
    public Option<string?> RetentionCron { get; } = new("--retention-cron") { Description = "Cron of the speed-row retention (default '0 30 3 * * ?')." };
    public Option<string?> TimeZone { get; } = new("--schedule-time-zone") { Description = "Time zone the crons are read in (default UTC; e.g. Europe/Paris)." };
    public Option<string?> RecomputeTimeZone { get; } = new("--recompute-time-zone") { Description = "Time zone of --recompute-cron alone (default: --schedule-time-zone)." };
    public Option<string?> ArchiveTimeZone { get; } = new("--archive-time-zone") { Description = "Time zone of --archive-cron alone (default: --schedule-time-zone)." };
    public Option<string?> RetentionTimeZone { get; } = new("--retention-time-zone") { Description = "Time zone of --retention-cron alone (default: --schedule-time-zone)." };
    public Option<string?> RetentionGrace { get; } = new("--retention-grace") { Description = "Speed rows are kept this long behind the batch watermark (default 2.00:00:00)." };
    public Option<string?> Store { get; } = new("--scheduler-store") { Description = "Where the schedule (Hangfire's storage) is kept: sqlite (data dir), postgres (clustered, in the --pg-schema) or memory (default: like --store)." };
    public Option<string?> Postgres { get; } = new("--scheduler-pg") { Description = "PostgreSQL connection string of the schedule (default: --pg)." };
    public Option<string?> Instance { get; } = new("--scheduler-instance") { Description = "This scheduler's id in a clustered schedule (default: host name and process id)." };
    public Option<int?> BatchThreads { get; } = SettingFlags.Integer("--batch-threads", "batch_threads", "Threads of the archive and recompute (default: half the cores, at least 1).");

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { RecomputeCron, ArchiveCron, RetentionCron, TimeZone, RecomputeTimeZone, ArchiveTimeZone, RetentionTimeZone, RetentionGrace, Store, Postgres, Instance, BatchThreads })
        {
            command.Options.Add(option);
        }
    }

    public SchedulerOptions Read(ParseResult parsed, RunSettings settings, PlatformSettings platform)
    {
        settings.SetFlag(parsed, "recompute_cron", RecomputeCron);
        settings.SetFlag(parsed, "archive_cron", ArchiveCron);
        settings.SetFlag(parsed, "retention_cron", RetentionCron);
        settings.SetFlag(parsed, "schedule_time_zone", TimeZone);
        settings.SetFlag(parsed, "recompute_time_zone", RecomputeTimeZone);
        settings.SetFlag(parsed, "archive_time_zone", ArchiveTimeZone);
        settings.SetFlag(parsed, "retention_time_zone", RetentionTimeZone);
        settings.SetFlag(parsed, "retention_grace", RetentionGrace);
        settings.SetFlag(parsed, "scheduler_store", Store);
        settings.SetFlag(parsed, "scheduler_pg", Postgres);
        settings.SetFlag(parsed, "scheduler_instance", Instance);
        settings.SetFlag(parsed, "batch_threads", BatchThreads);
        var defaults = new SchedulerOptions();
        var store = settings.GetString("scheduler_store", platform.Store);
        var options = new SchedulerOptions
        {
            RecomputeCron = settings.GetString("recompute_cron", defaults.RecomputeCron)!,
            ArchiveCron = settings.GetString("archive_cron", defaults.ArchiveCron)!,
            RetentionCron = settings.GetString("retention_cron", defaults.RetentionCron)!,
            TimeZone = settings.GetString("schedule_time_zone", defaults.TimeZone)!,
            RecomputeTimeZone = settings.GetString("recompute_time_zone", null),
            ArchiveTimeZone = settings.GetString("archive_time_zone", null),
            RetentionTimeZone = settings.GetString("retention_time_zone", null),
            RetentionGrace = settings.GetDuration("retention_grace", defaults.RetentionGrace),
            Store = store!,
            ConnectionString = store == "postgres"
                ? settings.GetString("scheduler_pg", platform.Postgres) ?? ""
                : Path.Combine(platform.DataDirectory, "scheduler.db"),
            // Hangfire's tables (job, state, hash, set, lock, ...) go into the project's schema beside the views.
            SchemaName = platform.PostgresSchema,
            InstanceId = settings.GetString("scheduler_instance", defaults.InstanceId)!,
            MaxAttempts = settings.GetInt("job_attempts", defaults.MaxAttempts, 1, 100),
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            var key = e.ParamName is { } name && KeyOf.TryGetValue(name, out var k) ? k : e.ParamName ?? "scheduler";
            throw settings.Bad(key, e.Message);
        }

        return options;
    }

    /// <summary>Threads for the batch work; half the cores by default, to leave the rest to the speed layer and serving.</summary>
    public static int ReadBatchThreads(RunSettings settings) =>
        settings.GetInt("batch_threads", Math.Max(1, Environment.ProcessorCount / 2), 1, 1024);
}

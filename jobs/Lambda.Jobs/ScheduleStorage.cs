using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;
using Lambda.SharedModel.IO;

namespace Lambda.Jobs;

/// <summary>Opens the Hangfire storage <see cref="SchedulerOptions.Store"/> names.</summary>
internal static class ScheduleStorage
{
    public static JobStorage Open(SchedulerOptions options) => options.Store switch
    {
        "postgres" => OpenPostgres(options),
        "sqlite" => new SQLiteStorage(options.ConnectionString, new SQLiteStorageOptions
        {
            QueuePollInterval = options.IdleWait,
            // One scheduler per file (LockSqlite), so a fetched run is invisible to others only to
            // this process's own workers: long enough that no recompute outlives it and runs twice.
            InvisibilityTimeout = TimeSpan.FromHours(6),
        }),
        "memory" => new InMemoryStorage(new InMemoryStorageOptions()),
        _ => throw new ArgumentException($"unknown schedule store '{options.Store}'", nameof(options)),
    };

    /// <summary>
    /// The lock file beside a SQLite schedule. A SQLite schedule has one scheduler (its run lock is a
    /// semaphore in that process), so a second scheduler on the same file (another `lambda run` on the
    /// same data directory) is refused instead of running the same jobs twice.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another scheduler holds the schedule.</exception>
    public static FileLock LockSqlite(string databasePath)
    {
        try
        {
            return FileLock.Acquire(Path.GetFullPath(databasePath) + ".lock", $"the SQLite schedule '{databasePath}'");
        }
        catch (FileLockHeldException e)
        {
            throw new InvalidOperationException(
                $"another scheduler is running on '{databasePath}' (its lock file {e.LockPath} is held); a SQLite schedule has one scheduler, use --scheduler-store postgres to run several", e);
        }
    }

    private static PostgreSqlStorage OpenPostgres(SchedulerOptions options)
    {
        var storageOptions = new PostgreSqlStorageOptions
        {
            SchemaName = options.SchemaName,
            PrepareSchemaIfNecessary = true,
            QueuePollInterval = options.IdleWait,
            // A node that dies mid-run stops extending its runs' invisibility: another node takes the
            // run over after this long (it waits on the job's lock, which died with the node's session).
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = options.ClusterCheckinInterval * 4,
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(options.ConnectionString, storageOptions, null), storageOptions);
    }
}

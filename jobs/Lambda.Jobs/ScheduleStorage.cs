using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;

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
            // One scheduler per file (StoreLock), so a fetched run is invisible to others only to
            // this process's own workers: long enough that no recompute outlives it and runs twice.
            InvisibilityTimeout = TimeSpan.FromHours(6),
        }),
        "memory" => new InMemoryStorage(new InMemoryStorageOptions()),
        _ => throw new ArgumentException($"unknown schedule store '{options.Store}'", nameof(options)),
    };

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

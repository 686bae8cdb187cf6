using Quartz;

namespace Lambda.Jobs;

/// <summary>Configures Quartz from <see cref="SchedulerOptions"/>: store, clustering, clock and timings.</summary>
internal static class QuartzSetup
{
    public static void Configure(IQuartzBuilder q, SchedulerOptions options, TimeProvider time)
    {
        q.UseTimeProvider(time);
        q.UseDefaultThreadPool(3);
        q.UseDefaultTimeZone(TimeZoneInfo.Utc);
        q.ConfigureScheduler(o =>
        {
            o.InstanceName = "lambda";
            o.InstanceId = options.InstanceId;
            o.IdleWaitTime = options.IdleWait;
        });
        if (options.Store == "memory")
        {
            q.UseInMemoryStore(o => o.MisfireThreshold = options.MisfireThreshold);
            return;
        }

        q.UsePersistentStore(s =>
        {
            if (options.Store == "postgres")
            {
                s.UsePostgres(options.ConnectionString);
                s.UseClustering(c =>
                {
                    c.CheckinInterval = options.ClusterCheckinInterval;
                    c.CheckinMisfireThreshold = options.ClusterCheckinInterval * 2;
                });
            }
            else
            {
                // Quartz refuses a clustered SQLite store ("locking problems"): one scheduler per file,
                // which JobScheduler enforces across processes with a lock file.
                s.UseSqlite($"Data Source={options.ConnectionString};Default Timeout=30");
            }

            s.ProvisionSchema();
            s.ConfigureStore(o =>
            {
                o.TablePrefix = options.TablePrefix;
                o.MisfireThreshold = options.MisfireThreshold;
            });
        });
    }
}

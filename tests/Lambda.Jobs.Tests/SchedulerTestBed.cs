using Lambda.SharedModel.Jobs;
using Lambda.Store.Sqlite;
using Microsoft.Extensions.Logging;

namespace Lambda.Jobs.Tests;

/// <summary>
/// A temp directory with a real SQLite view store, job history and Hangfire schedule, and schedulers
/// over them. Disposing stops every scheduler and deletes the directory.
/// </summary>
public sealed class SchedulerTestBed : IAsyncDisposable
{
    /// <summary>A cron that never fires (February 31st), for tests that trigger jobs by hand.</summary>
    public const string Never = "0 0 31 2 *";

    private readonly List<JobScheduler> _schedulers = [];

    public SchedulerTestBed()
    {
        Directory = Path.Combine(Path.GetTempPath(), "lambda-sched-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Views = new SqliteViewStore(Path.Combine(Directory, "views.db"));
        History = new SqliteJobHistoryStore(Path.Combine(Directory, "views.db"));
        Loggers = LoggerFactory.Create(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
    }

    public string Directory { get; }

    public SqliteViewStore Views { get; }

    public IJobHistoryStore History { get; }

    public LogCapture Logs { get; } = new();

    public ILoggerFactory Loggers { get; }

    public string ScheduleDatabase => Path.Combine(Directory, "scheduler.db");

    public async Task InitializeAsync()
    {
        await Views.InitializeAsync();
        await History.InitializeAsync();
    }

    /// <summary>
    /// Options over this bed's SQLite schedule, quick to notice work in tests: the schedule is checked
    /// every 100 ms of wall time against the scheduler's (possibly fake) clock.
    /// </summary>
    public SchedulerOptions Options(string instance) => new()
    {
        Store = "sqlite",
        ConnectionString = ScheduleDatabase,
        InstanceId = instance,
        RetryDelay = TimeSpan.Zero,
        IdleWait = TimeSpan.FromMilliseconds(200),
        SchedulePollInterval = TimeSpan.FromMilliseconds(100),
        ClusterCheckinInterval = TimeSpan.FromSeconds(5),
    };

    public JobScheduler NewScheduler(SchedulerOptions options, IBatchOperations batch, TimeProvider? time = null)
    {
        var scheduler = new JobScheduler(options, batch, Views, History, Loggers, time);
        _schedulers.Add(scheduler);
        return scheduler;
    }

    /// <summary>Waits on the wall clock until <paramref name="done"/> holds, doing <paramref name="step"/> between looks.</summary>
    public static async Task UntilAsync(Func<Task<bool>> done, Action? step = null, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"condition not met within {seconds} s");
            step?.Invoke();
            await Task.Delay(50);
        }
    }

    /// <summary>Ended runs of <paramref name="job"/>, oldest first.</summary>
    public async Task<IReadOnlyList<JobRun>> EndedRunsAsync(string job) =>
        [.. (await History.ListRunsAsync(job, 100)).Where(r => r.EndedAt is not null).Reverse()];

    public async ValueTask DisposeAsync()
    {
        foreach (var scheduler in _schedulers)
        {
            await scheduler.DisposeAsync();
        }

        await Views.DisposeAsync();
        await History.DisposeAsync();
        Loggers.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

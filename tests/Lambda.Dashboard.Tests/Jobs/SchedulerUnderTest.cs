using Lambda.Jobs;
using Lambda.Serving.Http;
using Lambda.SharedModel.Access;
using Lambda.SharedModel.Jobs;
using Lambda.Store.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lambda.Dashboard.Tests.Jobs;

/// <summary>
/// The serving host as `lambda run` builds it when it schedules: the API plus the scheduler's dashboard
/// at /jobs, over a SQLite store, job history and Hangfire schedule in a temporary directory, with one
/// admin key and one advertiser key. The scheduler runs <see cref="OperatorBatch"/> on its default crons.
/// </summary>
internal sealed class SchedulerUnderTest(string directory, SqliteViewStore store, SqliteApiKeyStore keys, SqliteJobHistoryStore history,
    JobScheduler scheduler, WebApplication app) : IAsyncDisposable
{
    /// <summary>http://127.0.0.1:port</summary>
    public string BaseAddress { get; } = HostUnderTest.AddressOf(app);

    public string AdminKey { get; private init; } = "";

    public string AdvertiserKey { get; private init; } = "";

    public IJobHistoryStore History => history;

    public static async Task<SchedulerUnderTest> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "lambda-jobs-dashboard-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var database = Path.Combine(directory, "views.db");
        var store = new SqliteViewStore(database);
        var keys = new SqliteApiKeyStore(database);
        var history = new SqliteJobHistoryStore(database);
        await store.InitializeAsync();
        await keys.InitializeAsync();
        await history.InitializeAsync();
        var scheduler = new JobScheduler(new SchedulerOptions
        {
            Store = "sqlite",
            ConnectionString = Path.Combine(directory, "scheduler.db"),
            InstanceId = "dashboard-test",
            MaxAttempts = 1,
            IdleWait = TimeSpan.FromMilliseconds(200),
        }, new OperatorBatch(), store, history, NullLoggerFactory.Instance);
        var app = ServingHost.CreateApp(["http://127.0.0.1:0"], new ServingOptions(), store, keys, log: null,
            services => services.AddSingleton<IJobHistoryStore>(history), [JobsDashboard.Page(scheduler)]);
        var (admin, advertiser) = (ApiKeys.NewKey(), ApiKeys.NewKey());
        await keys.CreateAsync(ApiKeys.NewRecord(admin, advertiserId: null, DateTimeOffset.UtcNow));
        await keys.CreateAsync(ApiKeys.NewRecord(advertiser, DashboardSeed.Advertiser, DateTimeOffset.UtcNow));
        await scheduler.StartAsync(CancellationToken.None);
        await app.StartAsync();
        return new SchedulerUnderTest(directory, store, keys, history, scheduler, app) { AdminKey = admin, AdvertiserKey = advertiser };
    }

    public async ValueTask DisposeAsync() => await HostUnderTest.StopAsync(app, directory, scheduler, history, keys, store);
}

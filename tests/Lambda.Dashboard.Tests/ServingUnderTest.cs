using Lambda.Serving.Http;
using Lambda.SharedModel.Access;
using Lambda.Store.Sqlite;
using Microsoft.AspNetCore.Builder;

namespace Lambda.Dashboard.Tests;

/// <summary>
/// The real serving host (<see cref="ServingHost.CreateApp"/>) on a free loopback port over a SQLite
/// store in a temporary directory, seeded with <see cref="DashboardSeed"/> and one API key per
/// advertiser. The dashboard is the wwwroot the serving project copies next to the test binaries.
/// </summary>
internal sealed class ServingUnderTest : IAsyncDisposable
{
    private readonly string _directory;
    private readonly SqliteViewStore _store;
    private readonly SqliteApiKeyStore _keys;
    private readonly WebApplication _app;

    private ServingUnderTest(string directory, SqliteViewStore store, SqliteApiKeyStore keys, WebApplication app, string apiKey)
    {
        _directory = directory;
        _store = store;
        _keys = keys;
        _app = app;
        ApiKey = apiKey;
        BaseAddress = HostUnderTest.AddressOf(app);
    }

    /// <summary>http://127.0.0.1:port</summary>
    public string BaseAddress { get; }

    /// <summary>A key of <see cref="DashboardSeed.Advertiser"/>.</summary>
    public string ApiKey { get; }

    public static async Task<ServingUnderTest> StartAsync(DashboardSeed seed)
    {
        var directory = Path.Combine(Path.GetTempPath(), "lambda-dashboard-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var database = Path.Combine(directory, "views.db");
        var store = new SqliteViewStore(database);
        var keys = new SqliteApiKeyStore(database);
        await seed.WriteAsync(store);
        await keys.InitializeAsync();
        var apiKey = ApiKeys.NewKey();
        await keys.CreateAsync(ApiKeys.NewRecord(apiKey, DashboardSeed.Advertiser, seed.Now));
        await keys.CreateAsync(ApiKeys.NewRecord(ApiKeys.NewKey(), DashboardSeed.OtherAdvertiser, seed.Now));

        var options = new ServingOptions { WebRoot = Path.Combine(AppContext.BaseDirectory, "wwwroot") };
        if (!File.Exists(Path.Combine(options.WebRoot, "index.html")))
        {
            throw new InvalidOperationException($"the dashboard is not in {options.WebRoot}: Lambda.Serving copies its wwwroot to the output");
        }
        var app = ServingHost.CreateApp(["http://127.0.0.1:0"], options, store, keys, log: null);
        await app.StartAsync();
        return new ServingUnderTest(directory, store, keys, app, apiKey);
    }

    public async ValueTask DisposeAsync() => await HostUnderTest.StopAsync(_app, _directory, _keys, _store);
}

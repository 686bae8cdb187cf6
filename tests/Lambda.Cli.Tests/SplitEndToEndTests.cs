using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Lambda.Jobs;
using Lambda.SharedModel.Jobs;
using Lambda.Store.Postgres;
using Lambda.Tests.Shared;
using Npgsql;

namespace Lambda.Cli.Tests;

/// <summary>
/// The distributed mode as far as one machine allows, with child processes of the real `lambda`:
/// A (`lambda run --demo --no-serve --no-scheduler`) owns the embedded log and runs the speed layer and
/// the demo traffic; B (`lambda serve`) serves beside it over PostgreSQL; C1 and C2 (`lambda scheduler`)
/// share one clustered schedule in PostgreSQL. Everything lives in a fresh schema, dropped afterwards.
/// Skips without a PostgreSQL server, fails when CI is set.
/// </summary>
public sealed class SplitEndToEndTests : IAsyncLifetime
{
    private const string DefaultConnectionString = "Host=127.0.0.1;Username=lambda;Password=lambda;Database=lambda_test";

    private readonly string _connectionString =
        Environment.GetEnvironmentVariable("LAMBDA_PG") is { Length: > 0 } configured ? configured : DefaultConnectionString;
    private readonly string _schema = "split_" + Guid.NewGuid().ToString("N")[..10];
    private readonly TempDirectory _dataDir = new();
    private string? _unavailable;

    public async Task InitializeAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { Timeout = 5 }.ConnectionString);
            await connection.OpenAsync();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            _unavailable = $"PostgreSQL is not reachable ({e.Message}); run infra/setup.d/postgres.sh";
        }
    }

    public async Task DisposeAsync()
    {
        _dataDir.Dispose();
        if (_unavailable is null)
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    [SkippableFact]
    public async Task serve_and_two_schedulers_run_beside_the_process_that_owns_the_embedded_log()
    {
        FaultEnvironment.Require(_unavailable);
        var urlB = $"http://127.0.0.1:{SplitApi.FreePort()}";

        using var a = Lambda("run", "--demo", "--demo-days", "2", "--no-serve", "--no-scheduler");
        var key = (await a.WaitForLineAsync("demo: admin key", 180)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1];
        var campaign = (await a.WaitForLineAsync("demo: advertiser key", 60)).Split("campaign ")[1].TrimEnd(')');
        await a.WaitForLineAsync("demo: live traffic", 60);

        using var b = Lambda("serve", "--urls", urlB);
        var notice = await b.WaitForLineAsync("lambda serve: the embedded log", 60);
        Assert.Contains($"pid {a.Id} (lambda run --no-serve)", notice, StringComparison.Ordinal);
        await b.WaitForLineAsync("serving on", 60);
        using var http = new HttpClient { BaseAddress = new Uri(urlB) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        // B answers with A's speed rows for today, from PostgreSQL.
        var today = DateTime.UtcNow.Date;
        var speedOnly = await SplitApi.UntilAsync(http, campaign, m => m.Speed.Any(r => r.Bucket == today && r.Impressions > 0), 120);
        Assert.Null(speedOnly.Watermark);

        // B cannot append to a log it does not own: a 503 that names the owner, never a 500.
        using var post = await http.PostAsync("/v1/events", new StringContent("[{\"type\":\"served\"}]", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, post.StatusCode);
        using var problem = JsonDocument.Parse(await post.Content.ReadAsStringAsync());
        Assert.Equal(a.Id, problem.RootElement.GetProperty("log_owner_pid").GetInt32());
        Assert.Contains("Kafka", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Two schedulers on one PostgreSQL schedule, with crons that fire every few seconds.
        using var c1 = Scheduler("node-c1");
        using var c2 = Scheduler("node-c2");
        await c1.WaitForLineAsync("scheduler node-c1 running", 120);
        await c2.WaitForLineAsync("scheduler node-c2 running", 120);

        // After a recompute, B serves batch rows for past days and speed rows for today, split at W.
        var merged = await SplitApi.UntilAsync(http, campaign, m => m.Watermark is not null && m.Batch.Any(r => r.Impressions > 0), 300);
        Assert.All(merged.Batch, r => Assert.True(r.Bucket < merged.Watermark, $"batch bucket {r.Bucket:O} is not before W {merged.Watermark:O}"));
        Assert.All(merged.Speed, r => Assert.True(r.Bucket >= merged.Watermark, $"speed bucket {r.Bucket:O} is before W {merged.Watermark:O}"));
        Assert.Contains(merged.Speed, r => r.Bucket == today && r.Impressions > 0);

        using var status = JsonDocument.Parse(await http.GetStringAsync("/v1/status"));
        Assert.NotEmpty(status.RootElement.GetProperty("speed").GetProperty("partitions").EnumerateArray());
        Assert.All(status.RootElement.GetProperty("speed").GetProperty("partitions").EnumerateArray(),
            p => Assert.True(p.GetProperty("lag").GetInt64() >= 0));
        // The latest recompute may be running again by now; what matters is that B shows the schedulers' history.
        Assert.Contains(status.RootElement.GetProperty("jobs").EnumerateArray(),
            j => j.GetProperty("job").GetString() == JobNames.Recompute && j.GetProperty("instance").GetString() is "node-c1" or "node-c2");

        // Let the schedulers compete for a few more firings, then check no job ever ran twice at once.
        await using var history = new PostgresJobHistoryStore(_connectionString, _schema);
        await WaitForEndedRunsAsync(history, JobNames.Recompute, 2, 300);

        Assert.Equal(0, await c1.StopAsync(120));
        Assert.Equal(0, await c2.StopAsync(120));
        var runs = await history.ListRunsAsync(null, 1_000);
        foreach (var job in runs.GroupBy(r => r.JobName))
        {
            var ordered = job.OrderBy(r => r.StartedAt).ToList();
            Assert.All(ordered, r => Assert.NotNull(r.EndedAt));
            Assert.All(ordered, r => Assert.Contains(r.Instance, new[] { "node-c1", "node-c2" }));
            for (var i = 1; i < ordered.Count; i++)
            {
                Assert.True(ordered[i].StartedAt >= ordered[i - 1].EndedAt,
                    $"{job.Key} run {ordered[i].RunId} on {ordered[i].Instance} started at {ordered[i].StartedAt:O}, before run {ordered[i - 1].RunId} on {ordered[i - 1].Instance} ended at {ordered[i - 1].EndedAt:O}");
            }
        }

        Assert.All(runs.Where(r => r.JobName == JobNames.Recompute), r => Assert.Equal(JobOutcomes.Succeeded, r.Outcome));
        Assert.Equal(0, await b.StopAsync(60));
        Assert.Equal(0, await a.StopAsync(120));
        Assert.Contains(a.Errors, l => l.Contains("stopped cleanly", StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_second_scheduler_on_a_sqlite_schedule_is_refused_because_sqlite_cannot_cluster()
    {
        Directory.CreateDirectory(Path.Combine(_dataDir.Path, "log"));
        using var first = new LambdaProcess("scheduler", "--data-dir", _dataDir.Path, "--scheduler-instance", "first");
        await first.WaitForLineAsync("scheduler first running on the sqlite schedule", 120);

        using var second = new LambdaProcess("scheduler", "--data-dir", _dataDir.Path, "--scheduler-instance", "second");

        Assert.Equal(1, await second.WaitForExitAsync(120));
        Assert.Contains(second.Errors, l => l.Contains("another scheduler is running", StringComparison.Ordinal)
            && l.Contains("--scheduler-store postgres", StringComparison.Ordinal));
        Assert.Equal(0, await first.StopAsync(60));
    }

    private LambdaProcess Lambda(params string[] args) => new(
        [.. args, "--data-dir", _dataDir.Path, "--partitions", "2", "--store", "postgres", "--pg", _connectionString, "--pg-schema", _schema]);

    /// <summary>
    /// A scheduler whose recompute (which archives first) fires every 5 s and retention every 11 s; the
    /// hourly archive is left out so that no two archives contend for the master dataset's lock.
    /// </summary>
    private LambdaProcess Scheduler(string instance) => Lambda("scheduler", "--scheduler-instance", instance,
        "--archive-cron", "0 0 31 2 *", "--recompute-cron", "0/5 * * * * ?", "--retention-cron", "0/11 * * * * ?", "--batch-threads", "1");

    private static async Task WaitForEndedRunsAsync(PostgresJobHistoryStore history, string job, int count, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while ((await history.ListRunsAsync(job, 100)).Count(r => r.EndedAt is not null) < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"fewer than {count} {job} runs ended within {seconds} s");
            await Task.Delay(500);
        }
    }
}

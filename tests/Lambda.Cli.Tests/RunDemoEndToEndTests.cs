using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Lambda.Cli.Tests;

/// <summary>
/// `lambda run --demo` as a user starts it: batch numbers for past days and speed numbers for today,
/// with the batch watermark between them; Ctrl-C then stops it cleanly.
/// </summary>
public sealed class RunDemoEndToEndTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "lambda-run-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task the_demo_serves_batch_days_then_speed_today_and_stops_cleanly_on_ctrl_c()
    {
        var url = $"http://127.0.0.1:{SplitApi.FreePort()}";
        // Started so that Ctrl-C reaches it from any shell: this test keeps the Ctrl-C stop covered.
        using var lambda = LambdaProcess.StartForCtrlC("run", "--demo", "--demo-days", "2", "--data-dir", _dataDir, "--urls", url, "--partitions", "2");

        var keyLine = await lambda.WaitForLineAsync("demo: admin key", 120);
        await lambda.WaitForLineAsync("demo: batch view", 180);
        // A short account up to the first numbers: what started, where, the keys, the jobs; no library chatter.
        var console = lambda.Output.TakeWhile(l => !l.StartsWith("demo: batch view", StringComparison.Ordinal)).Count() + 1 + lambda.Errors.Count;
        Assert.True(console <= 15, $"{console} console lines before the batch view:\n{string.Join('\n', lambda.Output)}\n{string.Join('\n', lambda.Errors)}");
        var advertiserLine = await lambda.WaitForLineAsync("demo: advertiser key", 10);
        var key = keyLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1];
        var campaign = advertiserLine.Split("campaign ")[1].TrimEnd(')');

        using var http = new HttpClient { BaseAddress = new Uri(url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var today = DateTime.UtcNow.Date;
        var from = today.AddDays(-3).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var to = today.AddDays(1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        using var response = await http.GetAsync($"/v1/campaigns/{campaign}/metrics?granularity=day&from={from}&to={to}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = answer.RootElement;

        var watermark = root.GetProperty("batch_watermark").GetDateTime().ToUniversalTime();
        var rows = root.GetProperty("rows").EnumerateArray()
            .Select(r => (Bucket: r.GetProperty("bucket").GetDateTime().ToUniversalTime(), Source: r.GetProperty("source").GetString(), Impressions: r.GetProperty("impressions").GetInt64()))
            .ToList();
        var batchDays = rows.Where(r => r.Source == "batch").ToList();
        var speedDays = rows.Where(r => r.Source == "speed").ToList();
        Assert.Contains(batchDays, r => r.Impressions > 0);
        Assert.Contains(speedDays, r => r.Bucket == today && r.Impressions > 0);
        Assert.All(batchDays, r => Assert.True(r.Bucket < watermark, $"batch bucket {r.Bucket:O} is not before W {watermark:O}"));
        Assert.All(speedDays, r => Assert.True(r.Bucket >= watermark, $"speed bucket {r.Bucket:O} is before W {watermark:O}"));

        using var status = JsonDocument.Parse(await http.GetStringAsync("/v1/status"));
        Assert.Contains(status.RootElement.GetProperty("jobs").EnumerateArray(),
            j => j.GetProperty("job").GetString() == "recompute" && j.GetProperty("outcome").GetString() == "succeeded");

        await ScrapeMetricsAsync(http, url);

        Assert.Equal(0, await lambda.InterruptAsync(120));
        var checkpoints = Path.Combine(_dataDir, "speed", "checkpoints");
        Assert.True(Directory.Exists(checkpoints), "no checkpoint directory after Ctrl-C");
        Assert.Equal(2, Directory.GetFileSystemEntries(checkpoints).Length);
        Assert.Contains(lambda.Errors, l => l.Contains("stopped cleanly", StringComparison.Ordinal));
    }

    /// <summary>/metrics, as Prometheus scrapes it with the admin key: the values move while the demo runs.</summary>
    private static async Task ScrapeMetricsAsync(HttpClient admin, string url)
    {
        var first = Samples(await admin.GetStringAsync("/metrics"));
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var served = $$"""{"type":"served","event_id":"m-1","ad_id":"m-ad","campaign_id":"m-camp","advertiser_id":"m-adv","user_id":"u","ip":"10.0.0.1","user_agent":"Mozilla/5.0","placement":"top","score":0.5,"cost_micros":1,"event_time":{{now}}}""";
        using (var posted = await admin.PostAsync("/v1/events", new StringContent($"[{served},{{\"type\":\"view\"}}]", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }

        // The posted events and the demo's live traffic (2 records/s) reach the speed layer's counters
        // within a few flushes.
        static double Records(Dictionary<string, double> samples) =>
            samples.Where(s => s.Key.StartsWith("lambda_speed_records_total{", StringComparison.Ordinal)).Sum(s => s.Value);
        Dictionary<string, double> second;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await Task.Delay(500);
            second = Samples(await admin.GetStringAsync("/metrics"));
        }
        while (Records(second) <= Records(first) && DateTime.UtcNow < deadline);

        Assert.True(Records(second) > Records(first), "the speed layer's record counters did not move");
        Assert.Contains(second.Keys, k => k == "lambda_speed_records_total{partition=\"0\"}");
        Assert.Contains(second.Keys, k => k.StartsWith("lambda_speed_lag{", StringComparison.Ordinal));
        Assert.Contains(second.Keys, k => k.StartsWith("lambda_speed_flush_duration_seconds_count", StringComparison.Ordinal));
        Assert.Contains(second.Keys, k => k.StartsWith("lambda_speed_rows_written_total", StringComparison.Ordinal));
        Assert.Contains(second.Keys, k => k.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal)
            && k.Contains("http_route=\"/v1/campaigns/{id}/metrics\"", StringComparison.Ordinal) && k.Contains("http_response_status_code=\"200\"", StringComparison.Ordinal));
        // The demo's start-up recompute has succeeded (the status said so before this scrape).
        Assert.Contains(second, s => s.Key.StartsWith("lambda_job_runs_total{", StringComparison.Ordinal)
            && s.Key.Contains("job=\"recompute\"", StringComparison.Ordinal) && s.Key.Contains("outcome=\"succeeded\"", StringComparison.Ordinal) && s.Value >= 1);
        Assert.Contains(second.Keys, k => k.StartsWith("lambda_job_duration_seconds_count{", StringComparison.Ordinal) && k.Contains("job=\"recompute\"", StringComparison.Ordinal));
        Assert.Equal(1, second["lambda_ingest_records_total{outcome=\"accepted\"}"]);
        Assert.Equal(1, second["lambda_ingest_records_total{outcome=\"rejected\"}"]);

        using var anonymous = new HttpClient { BaseAddress = new Uri(url) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
    }

    /// <summary>
    /// Each sample line of the Prometheus text format, name and labels to value, without the
    /// <c>otel_scope_name</c> label OpenTelemetry adds to every sample.
    /// </summary>
    private static Dictionary<string, double> Samples(string text) => text.Split('\n')
        .Where(l => l.Length > 0 && l[0] != '#')
        .Select(l => l.Split(' '))
        .ToDictionary(
            p => System.Text.RegularExpressions.Regex.Replace(p[0], "otel_scope_name=\"[^\"]*\",?", "").Replace("{}", "", StringComparison.Ordinal),
            p => double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }
}

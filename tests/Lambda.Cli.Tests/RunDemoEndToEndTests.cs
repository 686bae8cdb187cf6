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

        Assert.Equal(0, await lambda.InterruptAsync(120));
        var checkpoints = Path.Combine(_dataDir, "speed", "checkpoints");
        Assert.True(Directory.Exists(checkpoints), "no checkpoint directory after Ctrl-C");
        Assert.Equal(2, Directory.GetFileSystemEntries(checkpoints).Length);
        Assert.Contains(lambda.Errors, l => l.Contains("stopped cleanly", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }
}

using System.Text.Json;
using Lambda.Cli.CommandLine;
using Lambda.SharedModel.Views;
using Lambda.Store.Sqlite;

namespace Lambda.Cli.Tests;

/// <summary>`lambda query` and `lambda keys` over a SQLite store seeded in a temp data directory.</summary>
public sealed class QueryCommandTests : IAsyncLifetime
{
    private const long D = 1_795_392_000_000; // 2026-11-23T00:00:00Z
    private const long H = 3_600_000;
    private const long M = 60_000;
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "lambda-cli-query-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataDir);
        await using var store = new SqliteViewStore(Path.Combine(_dataDir, "views.db"));
        await store.InitializeAsync();
        await store.ClaimCampaignsAsync([new CampaignInfo("camp-a", "adv-a")]);
        await store.CreateBatchVersionAsync(new BatchVersionInfo(4, D + (10 * H), DateTimeOffset.UnixEpoch, "{}", 0, BatchVersionStates.Loading));
        await store.AppendBatchRowsAsync(4, [new BatchViewRow("camp-a", "hour", D + (9 * H), new MetricCounts(600, 60, 6, 6000, 1, 2, 3, 4), 50, [])]);
        await store.MarkBatchVersionReadyAsync(4, 1);
        await store.SetCurrentBatchVersionAsync(4);
        await store.UpsertSpeedRowsAsync(
        [
            new SpeedViewRow("camp-a", D + (10 * H), 0, new MetricCounts(7, 0, 1, 70, 0, 0, 0, 0), [], false),
            new SpeedViewRow("camp-a", D + (10 * H) + M, 1, new MetricCounts(3, 0, 0, 30, 0, 0, 0, 0), [], false),
        ]);
    }

    [Fact]
    public async Task query_prints_a_row_per_bucket_with_its_source_and_the_totals()
    {
        var (code, output, _) = await RunAsync("query", "--campaign", "camp-a", "--from", "2026-11-23T09:00:00Z", "--to", "2026-11-23T11:00:00Z", "--granularity", "hour");

        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("batch watermark 2026-11-23T10:00:00Z  version 4", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("2026-11-23T09:00:00Z batch   no", lines[3], StringComparison.Ordinal);
        Assert.Contains(" 600 ", lines[3], StringComparison.Ordinal);
        Assert.StartsWith("2026-11-23T10:00:00Z speed   yes", lines[4], StringComparison.Ordinal);
        Assert.StartsWith("total", lines[5], StringComparison.Ordinal);
        Assert.Contains(" 610 ", lines[5], StringComparison.Ordinal);
    }

    [Fact]
    public async Task query_json_prints_the_api_shape()
    {
        var (code, output, _) = await RunAsync("query", "--campaign", "camp-a", "--from", "2026-11-23T09:00:00Z", "--to", "2026-11-23T11:00:00Z", "--granularity", "hour", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(4, root.GetProperty("batch_version").GetInt64());
        Assert.Equal(["batch", "speed"], root.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("source").GetString()));
        Assert.Equal(610, root.GetProperty("totals").GetProperty("impressions").GetInt64());
        Assert.Equal(70 + 30 + 6000, root.GetProperty("totals").GetProperty("spend_micros").GetInt64());
    }

    [Fact]
    public async Task query_with_a_bad_range_is_a_usage_error_naming_the_option()
    {
        var (code, _, error) = await RunAsync("query", "--campaign", "camp-a", "--from", "2026-11-23T09:00:00Z", "--to", "2026-11-22T11:00:00Z");

        Assert.Equal(2, code);
        Assert.Contains("--to", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task keys_are_created_once_listed_without_the_key_and_revoked()
    {
        var (created, key, _) = await RunAsync("keys", "create", "--advertiser", "adv-a");
        var (_, listed, _) = await RunAsync("keys", "list");
        var keyId = listed.Split('\n')[1].Split(' ')[0];
        var (revoked, _, _) = await RunAsync("keys", "revoke", keyId);
        var (again, _, _) = await RunAsync("keys", "revoke", keyId);
        var (both, _, bothError) = await RunAsync("keys", "create", "--advertiser", "adv-a", "--admin");

        Assert.Equal(0, created);
        Assert.StartsWith("lk_", key, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Trim(), listed, StringComparison.Ordinal);
        Assert.Contains("advertiser adv-a", listed, StringComparison.Ordinal);
        Assert.Equal((0, 1), (revoked, again));
        Assert.Equal(2, both);
        Assert.Contains("exactly one", bothError, StringComparison.Ordinal);
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await LambdaCommand.RunAsync(["--data-dir", _dataDir, .. args], output, error);
        return (code, output.ToString(), error.ToString());
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDir, recursive: true);
        return Task.CompletedTask;
    }
}

using System.Text.Json;
using Lambda.SharedModel.Sketches;
using Lambda.SharedModel.Time;
using Lambda.SharedModel.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lambda.Dashboard.Tests;

/// <summary>
/// A stand-in for the serving host until it exists: serves the dashboard's wwwroot and answers
/// the three /v1 calls from the seed in memory (W is hour-aligned, so hour buckets never straddle it).
/// </summary>
internal sealed class FixtureServingHost : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly WebApplication _app;

    private FixtureServingHost(WebApplication app, string baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public string BaseAddress { get; }

    public static async Task<FixtureServingHost> StartAsync(DashboardSeed seed, string apiKey, string webRoot)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { WebRootPath = webRoot, ContentRootPath = webRoot });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/v1") &&
                context.Request.Headers.Authorization.ToString() != $"Bearer {apiKey}")
            {
                await Results.Problem(title: "Unauthorized", detail: "missing or unknown API key", statusCode: 401).ExecuteAsync(context);
                return;
            }
            await next(context);
        });
        app.MapGet("/v1/campaigns", () => Results.Json(new
        {
            Campaigns = DashboardSeed.OwnCampaigns.Select(c => new { CampaignId = c, AdvertiserId = DashboardSeed.Advertiser }),
        }, Json));
        app.MapGet("/v1/campaigns/{id}/metrics", (string id, DateTimeOffset from, DateTimeOffset to, string granularity) =>
            Results.Json(Metrics(seed, id, from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds(), granularity), Json));
        app.MapGet("/v1/status", () => Results.Json(new
        {
            Speed = new
            {
                Partitions = Enumerable.Range(0, DashboardSeed.Partitions).Select(p => new
                {
                    Partition = p, Owner = "speed-worker-1", WatermarkMs = seed.SpeedWatermarkMs, Lag = DashboardSeed.Lag / 2,
                    EventsPerSecond = 250.5, Processed = 100_000, BotFiltered = 12, Late = 3, Unattributed = 1, Duplicates = 7,
                    DeadLettered = 0, UpdatedAt = seed.Now.AddSeconds(-3),
                }),
            },
            Batch = new { CurrentVersion = 1, Watermark = Iso(seed.WatermarkMs), CreatedAt = seed.Now.AddMinutes(-20) },
            Jobs = Array.Empty<object>(),
            Drift = (object?)null,
        }, Json));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new FixtureServingHost(app, address);
    }

    private static object Metrics(DashboardSeed seed, string campaignId, long fromMs, long toMs, string granularity)
    {
        var rows = new List<object>();
        var total = default(MetricCounts);
        var all = new HyperLogLog();
        var step = Granularities.Parse(granularity).LengthMs();
        for (var b = fromMs; b < toMs; b += step)
        {
            var speed = b >= seed.WatermarkMs;
            var counts = default(MetricCounts);
            var sketch = new HyperLogLog();
            long exact = 0;
            if (!speed)
            {
                foreach (var r in seed.BatchRows.Where(r => r.CampaignId == campaignId && r.Granularity == granularity && r.BucketStartMs == b))
                {
                    counts += r.Counts;
                    exact += r.Uniques;
                    sketch.Merge(HyperLogLog.FromBytes(r.UniquesSketch));
                }
            }
            else
            {
                foreach (var r in seed.SpeedRows.Where(r => r.CampaignId == campaignId && r.BucketStartMs >= b && r.BucketStartMs < b + step))
                {
                    counts += r.Counts;
                    sketch.Merge(HyperLogLog.FromBytes(r.UniquesSketch));
                }
            }
            total += counts;
            all.Merge(sketch);
            var uniques = speed ? sketch.Estimate() : exact;
            rows.Add(Row(Iso(b), speed ? "speed" : "batch", speed, counts, uniques, speed ? ErrorOf(uniques) : 0));
        }
        var totalUniques = all.Estimate();
        return new
        {
            CampaignId = campaignId, From = Iso(fromMs), To = Iso(toMs), Granularity = granularity,
            BatchWatermark = Iso(seed.WatermarkMs), BatchVersion = 1,
            Freshness = new { SpeedWatermark = Iso(seed.SpeedWatermarkMs), SpeedUpdatedAt = seed.Now.AddSeconds(-3), Lag = DashboardSeed.Lag },
            Rows = rows,
            Totals = Row(null, null, true, total, totalUniques, ErrorOf(totalUniques)),
            Gaps = Array.Empty<object>(),
        };
    }

    private static Dictionary<string, object?> Row(string? bucket, string? source, bool approximate, MetricCounts c, long uniques, long error)
    {
        var row = new Dictionary<string, object?>
        {
            ["impressions"] = c.Impressions, ["views"] = c.Views, ["clicks"] = c.Clicks, ["spend_micros"] = c.SpendMicros,
            ["ctr"] = c.Impressions == 0 ? 0 : (double)c.Clicks / c.Impressions, ["uniques"] = uniques, ["uniques_error"] = error,
            ["bot_filtered"] = c.BotFiltered, ["late"] = c.Late, ["unattributed"] = c.Unattributed, ["duplicates"] = c.Duplicates,
            ["approximate"] = approximate,
        };
        if (bucket is not null)
        {
            row["bucket"] = bucket;
            row["source"] = source;
        }
        return row;
    }

    private static long ErrorOf(long estimate) => (long)Math.Ceiling(estimate * 2 * HyperLogLog.StandardError);

    private static string Iso(long ms) => IsoTimestamp.Format(ms);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Lambda.Cli.Tests;

/// <summary>A campaign's day rows as `lambda serve` answers them, split by source at W.</summary>
internal sealed record DayRow(DateTime Bucket, long Impressions);

/// <summary>One answer of the per-day metrics query: W, and the batch and speed days either side of it.</summary>
internal sealed record DayMetrics(DateTime? Watermark, IReadOnlyList<DayRow> Batch, IReadOnlyList<DayRow> Speed);

/// <summary>What the end-to-end tests of child `lambda` processes ask of the API and the machine.</summary>
internal static class SplitApi
{
    /// <summary>A loopback port free at the time of asking, for a child's `--urls`.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Asks serve for the campaign's days until <paramref name="done"/> holds.</summary>
    public static async Task<DayMetrics> UntilAsync(HttpClient http, string campaign, Func<DayMetrics, bool> done, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            // 404 until a view holds a row of the campaign: the speed layer may not have written one yet.
            var metrics = await DaysAsync(http, campaign, unknownIsEmpty: true);
            if (done(metrics))
            {
                return metrics;
            }

            Assert.True(DateTime.UtcNow < deadline, $"not seen within {seconds} s; last answer: W {metrics.Watermark:O}, "
                + $"{metrics.Batch.Count} batch and {metrics.Speed.Count} speed days");
            await Task.Delay(1000);
        }
    }

    /// <summary>The campaign's days from three days ago to tomorrow, per day.</summary>
    public static async Task<DayMetrics> DaysAsync(HttpClient http, string campaign, bool unknownIsEmpty = false)
    {
        var today = DateTime.UtcNow.Date;
        var from = today.AddDays(-3).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var to = today.AddDays(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        using var response = await http.GetAsync($"/v1/campaigns/{campaign}/metrics?granularity=day&from={from}&to={to}");
        if (unknownIsEmpty && response.StatusCode == HttpStatusCode.NotFound)
        {
            return new DayMetrics(null, [], []);
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = answer.RootElement;
        DateTime? watermark = root.GetProperty("batch_watermark") is { ValueKind: JsonValueKind.String } w ? w.GetDateTime().ToUniversalTime() : null;
        var rows = root.GetProperty("rows").EnumerateArray()
            .Select(r => (Bucket: r.GetProperty("bucket").GetDateTime().ToUniversalTime(), Source: r.GetProperty("source").GetString(),
                Impressions: r.GetProperty("impressions").GetInt64()))
            .ToList();
        return new DayMetrics(watermark,
            [.. rows.Where(r => r.Source == "batch").Select(r => new DayRow(r.Bucket, r.Impressions))],
            [.. rows.Where(r => r.Source == "speed").Select(r => new DayRow(r.Bucket, r.Impressions))]);
    }
}

using System.Net;
using System.Text.Json;
using static Lambda.Serving.Tests.Http.ServingWorld;

namespace Lambda.Serving.Tests.Http;

public class MetricsApiTests : ApiTest
{
    [Fact]
    public async Task hours_before_w_come_from_batch_and_hours_after_from_speed_without_counting_the_overlap_twice()
    {
        var response = await Client(World.AdvertiserAKey).GetAsync(Metrics("camp-a", D + (8 * H), D + (12 * H), "hour"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await JsonOf(response);
        Assert.Equal("camp-a", json.GetProperty("campaign_id").GetString());
        Assert.Equal("2026-11-23T10:00:00Z", json.GetProperty("batch_watermark").GetString());
        Assert.Equal(1, json.GetProperty("batch_version").GetInt64());
        Assert.Equal(
            [("2026-11-23T08:00:00Z", "batch", false, 600L), ("2026-11-23T09:00:00Z", "batch", false, 600L),
             ("2026-11-23T10:00:00Z", "speed", true, 120L), ("2026-11-23T11:00:00Z", "speed", true, 120L)],
            Rows(json));
        Assert.Equal(1440, json.GetProperty("totals").GetProperty("impressions").GetInt64());
        Assert.True(json.GetProperty("totals").GetProperty("approximate").GetBoolean());
        Assert.Empty(json.GetProperty("gaps").EnumerateArray());
        var freshness = json.GetProperty("freshness");
        Assert.Equal("2026-11-23T11:58:00Z", freshness.GetProperty("speed_watermark").GetString());
        Assert.Equal(12, freshness.GetProperty("lag").GetInt64());
    }

    [Fact]
    public async Task minutes_switch_source_exactly_at_w()
    {
        var json = await JsonOf(await Client(World.AdvertiserAKey).GetAsync(Metrics("camp-a", W - (2 * M), W + (2 * M), "minute")));

        Assert.Equal(
            [("2026-11-23T09:58:00Z", "batch", false, 10L), ("2026-11-23T09:59:00Z", "batch", false, 10L),
             ("2026-11-23T10:00:00Z", "speed", true, 2L), ("2026-11-23T10:01:00Z", "speed", true, 2L)],
            Rows(json));
        Assert.Equal(24, json.GetProperty("totals").GetProperty("impressions").GetInt64());
    }

    [Fact]
    public async Task the_day_holding_w_is_batch_minutes_before_w_plus_speed_minutes_after()
    {
        var json = await JsonOf(await Client(World.AdminKey).GetAsync(Metrics("camp-a", D - (24 * H), D + (24 * H), "day")));

        // Day D: batch minutes 08:00-09:59 (1200) + speed minutes 10:00-11:59 in two partitions (240).
        Assert.Equal([("2026-11-22T00:00:00Z", "batch", false, 5L), ("2026-11-23T00:00:00Z", "speed", true, 1440L)], Rows(json));
        Assert.Equal(1445, json.GetProperty("totals").GetProperty("impressions").GetInt64());
    }

    [Fact]
    public async Task a_range_the_speed_layer_dropped_and_the_batch_does_not_cover_is_missing_and_listed_in_gaps()
    {
        // Retention removed speed minutes before 10:30 while W is still 10:00: 10:00-10:29 is covered by nobody.
        await World.Store.DeleteSpeedRowsBeforeAsync(W + (30 * M));

        var json = await JsonOf(await Client(World.AdvertiserAKey).GetAsync(Metrics("camp-a", D + (8 * H), D + (12 * H), "hour")));

        Assert.Equal(
            [("2026-11-23T08:00:00Z", "batch", false, 600L), ("2026-11-23T09:00:00Z", "batch", false, 600L),
             ("2026-11-23T10:00:00Z", "missing", true, 0L), ("2026-11-23T11:00:00Z", "speed", true, 120L)],
            Rows(json));
        var gap = Assert.Single(json.GetProperty("gaps").EnumerateArray());
        Assert.Equal(("2026-11-23T10:00:00Z", "2026-11-23T11:00:00Z"), (gap.GetProperty("from").GetString(), gap.GetProperty("to").GetString()));
        Assert.Equal(1320, json.GetProperty("totals").GetProperty("impressions").GetInt64());
        Assert.True(json.GetProperty("totals").GetProperty("approximate").GetBoolean());
    }

    [Fact]
    public async Task every_metric_field_of_the_documented_shape_is_present()
    {
        var json = await JsonOf(await Client(World.AdvertiserAKey).GetAsync(Metrics("camp-a", D + (8 * H), D + (9 * H), "hour")));

        string[] metrics = ["impressions", "views", "clicks", "spend_micros", "ctr", "uniques", "uniques_error", "bot_filtered", "late", "unattributed", "duplicates"];
        var row = json.GetProperty("rows")[0];
        Assert.All((string[])["bucket", "source", "approximate", .. metrics], name => Assert.True(row.TryGetProperty(name, out _), name));
        Assert.All((string[])[.. metrics, "approximate"], name => Assert.True(json.GetProperty("totals").TryGetProperty(name, out _), name));
        Assert.All((string[])["campaign_id", "from", "to", "granularity", "batch_watermark", "batch_version", "freshness", "rows", "totals", "gaps"],
            name => Assert.True(json.TryGetProperty(name, out _), name));
        Assert.All((string[])["speed_watermark", "speed_updated_at", "lag"], name => Assert.True(json.GetProperty("freshness").TryGetProperty(name, out _), name));
        Assert.Equal(60_000, row.GetProperty("spend_micros").GetInt64());
        Assert.Equal(60, row.GetProperty("uniques").GetInt64());
        Assert.Equal(0, row.GetProperty("uniques_error").GetInt64());
    }

    [Fact]
    public async Task top_campaigns_ranks_only_the_callers_campaigns()
    {
        var url = $"/v1/campaigns/top?metric=impressions&from={Iso(D + (8 * H))}&to={Iso(D + (10 * H))}&limit=5";

        var mine = await JsonOf(await Client(World.AdvertiserAKey).GetAsync(url));
        var all = await JsonOf(await Client(World.AdminKey).GetAsync(url));

        Assert.Equal("impressions", mine.GetProperty("metric").GetString());
        Assert.Equal([("camp-a", 1200.0), ("camp-a2", 0.0)], Top(mine));
        Assert.Equal([("camp-a", 1200.0), ("camp-b", 77.0), ("camp-a2", 0.0)], Top(all));
    }

    [Fact]
    public async Task status_for_an_admin_reports_partitions_and_the_current_batch_version()
    {
        var json = await JsonOf(await Client(World.AdminKey).GetAsync("/v1/status"));

        Assert.Equal("platform", json.GetProperty("scope").GetString());
        var partitions = json.GetProperty("speed").GetProperty("partitions").EnumerateArray().ToArray();
        Assert.Equal([0, 1], partitions.Select(p => p.GetProperty("partition").GetInt32()));
        Assert.Equal(5, partitions[0].GetProperty("lag").GetInt64());
        Assert.Equal("w1", partitions[0].GetProperty("owner").GetString());
        Assert.Equal(12, json.GetProperty("speed").GetProperty("lag").GetInt64());
        Assert.Equal(1, json.GetProperty("batch").GetProperty("current_version").GetInt64());
        Assert.Equal("2026-11-23T10:00:00Z", json.GetProperty("batch").GetProperty("watermark").GetString());
        Assert.Empty(json.GetProperty("jobs").EnumerateArray());
    }

    [Fact]
    public async Task status_for_an_advertiser_is_the_batch_version_and_speed_freshness_only()
    {
        var response = await Client(World.AdvertiserBKey).GetAsync("/v1/status");
        var body = await response.Content.ReadAsStringAsync();
        var json = await JsonOf(response);

        Assert.Equal("advertiser", json.GetProperty("scope").GetString());
        Assert.Equal(1, json.GetProperty("batch").GetProperty("current_version").GetInt64());
        var speed = json.GetProperty("speed");
        Assert.Equal("2026-11-23T11:58:00Z", speed.GetProperty("watermark").GetString());
        Assert.Equal(12, speed.GetProperty("lag").GetInt64());
        Assert.False(speed.TryGetProperty("partitions", out _));
        Assert.False(json.TryGetProperty("jobs", out _));
        // No owner (host:pid) and no per-partition counters anywhere in the answer.
        Assert.DoesNotContain("w1", body, StringComparison.Ordinal);
        Assert.DoesNotContain("dead_lettered", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_openapi_document_describes_the_metrics_endpoint_and_the_dashboard_is_served()
    {
        var client = Client();

        var openApi = await JsonOf(await client.GetAsync("/openapi/v1.json"));
        var index = await client.GetAsync("/");

        Assert.True(openApi.GetProperty("paths").TryGetProperty("/v1/campaigns/{id}/metrics", out _));
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task without_a_public_url_the_openapi_document_names_no_server_whatever_the_host_header()
    {
        var client = Client();
        client.DefaultRequestHeaders.Host = "evil.example:666";

        var body = await (await client.GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync();

        Assert.DoesNotContain("evil.example", body, StringComparison.Ordinal);
    }

    private static List<(string, string, bool, long)> Rows(JsonElement json) => json.GetProperty("rows").EnumerateArray()
        .Select(r => (r.GetProperty("bucket").GetString()!, r.GetProperty("source").GetString()!, r.GetProperty("approximate").GetBoolean(), r.GetProperty("impressions").GetInt64()))
        .ToList();

    private static List<(string, double)> Top(JsonElement json) => json.GetProperty("rows").EnumerateArray()
        .Select(r => (r.GetProperty("campaign_id").GetString()!, r.GetProperty("value").GetDouble())).ToList();
}

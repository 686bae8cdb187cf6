using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Lambda.Serving.Http;
using Lambda.SharedModel.Views;
using Lambda.Store.Sqlite;
using static Lambda.Serving.Tests.Http.ServingWorld;

namespace Lambda.Serving.Tests.Http;

public class CacheTests : ApiTest
{
    protected override ServingOptions Options
    {
        get
        {
            var options = ServingFactory.TestOptions();
            options.SpeedCacheDuration = TimeSpan.FromMinutes(1);
            // Strict: every query waits for a generation read that started after it arrived.
            options.GenerationMaxAge = TimeSpan.Zero;
            return options;
        }
    }

    [Fact]
    public async Task without_a_write_an_answer_is_reused_and_says_when_its_speed_rows_were_read()
    {
        var url = Metrics("camp-a", D + (10 * H), D + (12 * H), "hour");
        var first = await JsonOf(await Client(World.AdvertiserAKey).GetAsync(url));

        var second = await JsonOf(await Client(World.AdvertiserAKey).GetAsync(url));

        Assert.Equal(240, second.GetProperty("totals").GetProperty("impressions").GetInt64());
        Assert.Equal(ReadAt(first), ReadAt(second));
        Assert.Equal(60_000, second.GetProperty("freshness").GetProperty("max_staleness_ms").GetInt64());
    }

    [Fact]
    public async Task a_speed_flush_from_another_process_is_in_the_next_answer_within_the_cache_period()
    {
        var url = Metrics("camp-a", D + (10 * H), D + (12 * H), "hour");
        var client = Client(World.AdvertiserAKey);
        var before = await JsonOf(await client.GetAsync(url));
        await using (var writer = new SqliteViewStore(World.Store.DatabasePath))
        {
            await writer.UpsertSpeedRowsAsync([new SpeedViewRow("camp-a", D + (10 * H), 5, Impressions(1000), [], false)]);
        }

        var after = await JsonOf(await client.GetAsync(url));
        var gzipped = await GzipJsonOf(client, url);

        Assert.Equal(240, before.GetProperty("totals").GetProperty("impressions").GetInt64());
        Assert.Equal(1240, after.GetProperty("totals").GetProperty("impressions").GetInt64());
        Assert.Equal(1240, gzipped.GetProperty("totals").GetProperty("impressions").GetInt64());
    }

    [Fact]
    public async Task speed_retention_is_in_the_next_answer_within_the_cache_period()
    {
        var url = Metrics("camp-a", D + (10 * H), D + (12 * H), "hour");
        var client = Client(World.AdvertiserAKey);
        await client.GetAsync(url);
        await World.Store.DeleteSpeedRowsBeforeAsync(D + (11 * H));

        var after = await JsonOf(await client.GetAsync(url));

        Assert.Equal("missing", after.GetProperty("rows")[0].GetProperty("source").GetString());
        Assert.Equal(120, after.GetProperty("totals").GetProperty("impressions").GetInt64());
    }

    [Fact]
    public async Task a_batch_flip_is_in_the_next_answer_within_the_cache_period()
    {
        var url = Metrics("camp-a", D + (8 * H), D + (10 * H), "hour");
        var client = Client(World.AdvertiserAKey);
        var before = await JsonOf(await client.GetAsync(url));
        await World.Store.CreateBatchVersionAsync(new BatchVersionInfo(2, W, DateTimeOffset.UtcNow, "{}", 0, BatchVersionStates.Loading));
        await World.Store.AppendBatchRowsAsync(2,
        [
            new BatchViewRow("camp-a", "hour", D + (8 * H), Impressions(700), 70, []),
            new BatchViewRow("camp-a", "hour", D + (9 * H), Impressions(700), 70, []),
        ]);
        await World.Store.MarkBatchVersionReadyAsync(2, 2);
        await World.Store.SetCurrentBatchVersionAsync(2);

        var after = await JsonOf(await client.GetAsync(url));

        Assert.Equal(1200, before.GetProperty("totals").GetProperty("impressions").GetInt64());
        Assert.Equal(1400, after.GetProperty("totals").GetProperty("impressions").GetInt64());
        Assert.Equal(2, after.GetProperty("batch_version").GetInt64());
    }

    [Fact]
    public async Task a_cached_answer_is_never_served_to_another_advertiser()
    {
        var campA = Metrics("camp-a", D + (8 * H), D + (10 * H), "hour");
        var campB = Metrics("camp-b", D + (8 * H), D + (10 * H), "hour");
        Assert.Equal(HttpStatusCode.OK, (await Client(World.AdvertiserAKey).GetAsync(campA)).StatusCode);

        var stranger = await Client(World.AdvertiserBKey).GetAsync(campA);
        var own = await JsonOf(await Client(World.AdvertiserBKey).GetAsync(campB));

        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
        Assert.DoesNotContain("impressions", await stranger.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("camp-b", own.GetProperty("campaign_id").GetString());
        Assert.Equal(77, own.GetProperty("totals").GetProperty("impressions").GetInt64());
    }

    private static string? ReadAt(JsonElement answer) => answer.GetProperty("freshness").GetProperty("speed_read_at").GetString();

    private static async Task<JsonElement> GzipJsonOf(HttpClient client, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        using var response = await client.SendAsync(request);
        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var document = await JsonDocument.ParseAsync(gzip);
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task a_client_accepting_gzip_gets_the_same_answer_compressed()
    {
        var url = Metrics("camp-a", D + (8 * H), D + (12 * H), "minute");
        var client = Client(World.AdvertiserAKey);
        var plain = await client.GetStringAsync(url);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.AcceptEncoding.ParseAdd("gzip");

        var response = await client.SendAsync(request);

        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        Assert.Equal(plain, await reader.ReadToEndAsync());
        Assert.Equal(240, JsonDocument.Parse(plain).RootElement.GetProperty("rows").GetArrayLength());
    }
}

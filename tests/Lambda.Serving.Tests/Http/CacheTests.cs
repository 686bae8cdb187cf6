using System.IO.Compression;
using System.Text.Json;
using Lambda.Serving.Http;
using Lambda.SharedModel.Views;
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
            return options;
        }
    }

    [Fact]
    public async Task within_the_staleness_bound_an_answer_is_reused_and_says_when_its_speed_rows_were_read()
    {
        var url = Metrics("camp-a", D + (10 * H), D + (12 * H), "hour");
        var first = await JsonOf(await Client(World.AdvertiserAKey).GetAsync(url));
        await World.Store.UpsertSpeedRowsAsync([new SpeedViewRow("camp-a", D + (10 * H), 5, Impressions(1000), [], false)]);

        var second = await JsonOf(await Client(World.AdvertiserAKey).GetAsync(url));

        Assert.Equal(240, second.GetProperty("totals").GetProperty("impressions").GetInt64());
        Assert.Equal(
            first.GetProperty("freshness").GetProperty("speed_read_at").GetString(),
            second.GetProperty("freshness").GetProperty("speed_read_at").GetString());
        Assert.Equal(60_000, second.GetProperty("freshness").GetProperty("max_staleness_ms").GetInt64());
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

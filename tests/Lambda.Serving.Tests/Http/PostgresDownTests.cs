using System.Net;
using Lambda.SharedModel.Access;
using Lambda.SharedModel.Views;
using Lambda.Store.Postgres;
using Lambda.Tests.Shared;

namespace Lambda.Serving.Tests.Http;

/// <summary>Serving over a private PostgreSQL that is stopped and started again: 503 with Retry-After while it is down, 200 after.</summary>
public sealed class PostgresDownTests
{
    [SkippableFact]
    public async Task while_postgres_is_down_every_keyed_request_is_a_503_problem_with_retry_after_and_after_restart_200()
    {
        using var server = PrivatePostgres.Create();
        await using var store = new PostgresViewStore(server.ConnectionString, "serving_down");
        await store.InitializeAsync();
        await using var keys = new PostgresApiKeyStore(server.ConnectionString, "serving_down");
        await keys.InitializeAsync();
        var key = ApiKeys.NewKey();
        await keys.CreateAsync(ApiKeys.NewRecord(key, "adv-a", DateTimeOffset.UtcNow));
        await store.ClaimCampaignsAsync([new CampaignInfo("camp-a", "adv-a")]);
        await using var factory = new ServingFactory(store, keys, null, ServingFactory.TestOptions());
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        string[] urls = ["/v1/campaigns", "/v1/campaigns/camp-a/metrics?from=2026-11-23&to=2026-11-24&granularity=hour",
            "/v1/campaigns/top?metric=clicks&from=2026-11-23&to=2026-11-24", "/v1/status"];
        foreach (var url in urls)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(url)).StatusCode);
        }

        server.Stop();
        for (var round = 0; round < 3; round++)
        {
            foreach (var url in urls)
            {
                var response = await client.GetAsync(url);

                Assert.True(HttpStatusCode.ServiceUnavailable == response.StatusCode, $"{url}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), url);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Equal(503, (await JsonOf(response)).GetProperty("status").GetInt32());
            }
        }

        server.Start();
        // Npgsql does not test pooled connections on checkout; the store clears its pool on a failure that
        // says the connection broke, so the connections the stop cut are not handed out one by one.
        var afterRestart = 0;
        foreach (var url in urls)
        {
            HttpResponseMessage response;
            while ((response = await client.GetAsync(url)).StatusCode != HttpStatusCode.OK)
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.True(++afterRestart <= 100, "still 503 after 100 requests with the server back");
            }
        }

        Assert.True(afterRestart <= 1, $"{afterRestart} requests failed after the restart");

        for (var round = 0; round < 3; round++)
        {
            foreach (var url in urls)
            {
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(url)).StatusCode);
            }
        }
    }

    private static async Task<System.Text.Json.JsonElement> JsonOf(HttpResponseMessage response)
    {
        using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }
}

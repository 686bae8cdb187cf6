using System.Net;
using Lambda.Serving.Http;
using Lambda.SharedModel.Access;
using static Lambda.Serving.Tests.Http.ServingWorld;

namespace Lambda.Serving.Tests.Http;

/// <summary>Remembered key lookups: a revocation takes effect within the cache duration, not before it.</summary>
public class AccessCacheTests : ApiTest
{
    protected override ServingOptions Options
    {
        get
        {
            var options = ServingFactory.TestOptions();
            options.AccessCacheDuration = TimeSpan.FromMilliseconds(200);
            return options;
        }
    }

    [Fact]
    public async Task a_revoked_key_stops_working_and_worked_until_revoked()
    {
        var url = Metrics("camp-a", D + (8 * H), D + (10 * H), "hour");
        var client = Client(World.AdvertiserAKey);
        var before = await client.GetAsync(url);
        var again = await client.GetAsync(url);
        await World.Keys.RevokeAsync(ApiKeys.IdOf(ApiKeys.Hash(World.AdvertiserAKey)), DateTimeOffset.UtcNow);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        HttpStatusCode status;
        do
        {
            await Task.Delay(10, timeout.Token);
            status = (await client.GetAsync(url, timeout.Token)).StatusCode;
            Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.Unauthorized });
        }
        while (status != HttpStatusCode.Unauthorized);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task concurrent_requests_with_remembered_keys_see_only_their_own_campaigns()
    {
        var campA = Metrics("camp-a", D + (8 * H), D + (10 * H), "hour");
        var a = Client(World.AdvertiserAKey);
        var b = Client(World.AdvertiserBKey);

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? a : b).GetAsync(campA)));

        for (var i = 0; i < answers.Length; i++)
        {
            Assert.Equal(i % 2 == 0 ? HttpStatusCode.OK : HttpStatusCode.NotFound, answers[i].StatusCode);
        }
    }
}

using System.Diagnostics;
using System.Net;
using Lambda.Serving.Http;

namespace Lambda.Serving.Tests.Http;

/// <summary>Many concurrent requests with one key: beyond its bucket they get 429 with Retry-After; other keys go on.</summary>
public class RateLimitFloodTests : ApiTest
{
    private const int PerSecond = 2;
    private const int Burst = 5;

    protected override ServingOptions Options
    {
        get
        {
            var options = ServingFactory.TestOptions();
            options.RateLimitPerSecond = PerSecond;
            options.RateLimitBurst = Burst;
            return options;
        }
    }

    [Fact]
    public async Task a_flood_with_one_key_is_limited_while_other_keys_are_unaffected()
    {
        var flooder = Client(World.AdvertiserAKey);
        var other = Client(World.AdvertiserBKey);
        var clock = Stopwatch.StartNew();

        var flood = Enumerable.Range(0, 400).Select(_ => Task.Run(() => flooder.GetAsync("/v1/campaigns"))).ToArray();
        var others = new List<HttpStatusCode>();
        for (var i = 0; i < Burst; i++)
        {
            others.Add((await other.GetAsync("/v1/campaigns")).StatusCode);
        }

        var responses = await Task.WhenAll(flood);
        var elapsed = clock.Elapsed;

        Assert.All(others, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, r.StatusCode.ToString()));
        var passed = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        // A token bucket lets through its burst plus what refills while the flood lasts, never more.
        Assert.InRange(passed, 1, Burst + (PerSecond * ((int)Math.Ceiling(elapsed.TotalSeconds) + 1)));
        foreach (var limited in responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests))
        {
            Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
            Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
            Assert.Equal(429, (await JsonOf(limited)).GetProperty("status").GetInt32());
        }
    }

    [Fact]
    public async Task a_flood_of_forged_keys_is_all_401_and_does_not_eat_a_real_keys_budget()
    {
        var flood = Enumerable.Range(0, 300).Select(i =>
        {
            var client = Client("lk_forged_" + i);
            return Task.Run(() => client.GetAsync("/v1/campaigns"));
        }).ToArray();

        var responses = await Task.WhenAll(flood);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Equal(HttpStatusCode.OK, (await Client(World.AdvertiserAKey).GetAsync("/v1/campaigns")).StatusCode);
    }
}

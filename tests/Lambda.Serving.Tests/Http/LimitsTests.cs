using System.Net;
using Lambda.Serving.Http;

namespace Lambda.Serving.Tests.Http;

public class LimitsTests : ApiTest
{
    protected override ServingOptions Options
    {
        get
        {
            var options = ServingFactory.TestOptions();
            options.RateLimitPerSecond = 1;
            options.RateLimitBurst = 3;
            options.MaxRequestBodyBytes = 2048;
            return options;
        }
    }

    [Fact]
    public async Task a_key_over_its_rate_limit_gets_429_with_retry_after_and_other_keys_are_unaffected()
    {
        var client = Client(World.AdvertiserAKey);
        var statuses = new List<HttpResponseMessage>();
        for (var i = 0; i < 12; i++)
        {
            statuses.Add(await client.GetAsync("/v1/campaigns"));
        }

        var limited = statuses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.NotNull(limited.Headers.RetryAfter?.Delta);
        Assert.True(limited.Headers.RetryAfter!.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await Client(World.AdvertiserBKey).GetAsync("/v1/campaigns")).StatusCode);
    }

    [Fact]
    public async Task a_body_over_the_limit_is_413()
    {
        var body = "[" + string.Join(",", Enumerable.Repeat("{\"type\":\"served\"}", 200)) + "]";

        var response = await Client(World.AdminKey).PostAsync("/v1/events", new StringContent(body));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}

using System.Net;
using static Lambda.Serving.Tests.Http.ServingWorld;

namespace Lambda.Serving.Tests.Http;

public class AuthTests : ApiTest
{
    private static readonly string CampA = Metrics("camp-a", D + (8 * H), D + (9 * H), "hour");
    private static readonly string CampB = Metrics("camp-b", D + (8 * H), D + (9 * H), "hour");

    [Fact]
    public async Task no_key_is_401_with_a_bearer_challenge()
    {
        var response = await Client().GetAsync(CampA);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task an_unknown_or_revoked_key_is_401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client("lk_not-a-real-key").GetAsync(CampA)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client(World.RevokedKey).GetAsync(CampA)).StatusCode);
    }

    [Fact]
    public async Task a_key_in_the_query_string_is_refused_even_with_a_valid_header()
    {
        var response = await Client(World.AdminKey).GetAsync(CampA + "&api_key=" + World.AdminKey);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await JsonOf(response);
        Assert.Equal("api_key", json.GetProperty("field").GetString());
        Assert.Contains("query string", json.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_x_api_key_header_works_like_bearer()
    {
        var client = Client();
        client.DefaultRequestHeaders.Add("X-Api-Key", World.AdvertiserAKey);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(CampA)).StatusCode);
    }

    [Fact]
    public async Task an_advertiser_sees_its_own_campaigns_and_gets_404_for_anothers_as_for_a_missing_one()
    {
        var client = Client(World.AdvertiserAKey);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(CampA)).StatusCode);
        var other = await client.GetAsync(CampB);
        var missing = await client.GetAsync(Metrics("camp-nope", D, D + H, "hour"));
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(
            (await JsonOf(missing)).GetProperty("title").GetString(),
            (await JsonOf(other)).GetProperty("title").GetString());
        var list = await JsonOf(await client.GetAsync("/v1/campaigns"));
        Assert.Equal(["camp-a", "camp-a2"], list.GetProperty("campaigns").EnumerateArray().Select(c => c.GetProperty("campaign_id").GetString()));
        Assert.All(list.GetProperty("campaigns").EnumerateArray(), c => Assert.Equal("adv-a", c.GetProperty("advertiser_id").GetString()));
    }

    [Fact]
    public async Task admin_sees_every_campaign()
    {
        var client = Client(World.AdminKey);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(CampA)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(CampB)).StatusCode);
        var list = await JsonOf(await client.GetAsync("/v1/campaigns"));
        Assert.Equal(3, list.GetProperty("campaigns").GetArrayLength());
    }

    [Fact]
    public async Task posting_events_needs_an_admin_key_so_an_advertiser_gets_403()
    {
        var response = await Client(World.AdvertiserAKey).PostAsync("/v1/events", new StringContent("[]"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task health_needs_no_key()
    {
        var response = await Client().GetAsync("/v1/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (await JsonOf(response)).GetProperty("status").GetString());
    }
}

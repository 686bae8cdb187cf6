using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Lambda.SharedModel.Views;

namespace Lambda.Serving.Tests.Http;

/// <summary>PUT /v1/campaigns/{id}/owner: the admin action that moves a campaign, the only one that can.</summary>
public class CampaignOwnerApiTests : ApiTest
{
    [Fact]
    public async Task an_admin_moves_a_campaign_and_its_history_to_another_advertiser()
    {
        // Seeded: camp-b belongs to adv-b, whose key sees it; adv-a's key does not.
        Assert.Equal(HttpStatusCode.NotFound, (await Client(World.AdvertiserAKey).GetAsync(MetricsUrl)).StatusCode);

        var response = await Client(World.AdminKey).PutAsync("/v1/campaigns/camp-b/owner", Body("""{"advertiser_id":"adv-a","reason":"account merged"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("adv-a", answer.RootElement.GetProperty("owner").GetString());
        Assert.Equal(["adv-b", "adv-a"], answer.RootElement.GetProperty("accepted_owners").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(new CampaignInfo("camp-b", "adv-a"), await World.Store.GetCampaignAsync("camp-b"));
        Assert.Equal(HttpStatusCode.OK, (await Client(World.AdvertiserAKey).GetAsync(MetricsUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client(World.AdvertiserBKey).GetAsync(MetricsUrl)).StatusCode);
    }

    [Theory]
    [InlineData("not json", "body")]
    [InlineData("""{"reason":"no advertiser"}""", "advertiser_id")]
    [InlineData("""{"advertiser_id":"  "}""", "advertiser_id")]
    public async Task a_bad_body_is_a_400_naming_the_field_and_moves_nothing(string body, string field)
    {
        var response = await Client(World.AdminKey).PutAsync("/v1/campaigns/camp-b/owner", Body(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        Assert.Equal(new CampaignInfo("camp-b", "adv-b"), await World.Store.GetCampaignAsync("camp-b"));
    }

    [Fact]
    public async Task only_an_admin_key_may_move_a_campaign_and_an_unknown_one_is_a_404()
    {
        Assert.Equal(HttpStatusCode.Forbidden,
            (await Client(World.AdvertiserAKey).PutAsync("/v1/campaigns/camp-b/owner", Body("""{"advertiser_id":"adv-a"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await Client().PutAsync("/v1/campaigns/camp-b/owner", Body("""{"advertiser_id":"adv-a"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await Client(World.AdminKey).PutAsync("/v1/campaigns/nope/owner", Body("""{"advertiser_id":"adv-a"}"""))).StatusCode);
        Assert.Equal(new CampaignInfo("camp-b", "adv-b"), await World.Store.GetCampaignAsync("camp-b"));
    }

    private const string MetricsUrl = "/v1/campaigns/camp-b/metrics?from=2026-11-23T00:00:00Z&to=2026-11-23T01:00:00Z&granularity=hour";

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");
}

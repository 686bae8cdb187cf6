using System.Net;
using System.Net.Http.Headers;
using static Lambda.Serving.Tests.Http.ServingWorld;

namespace Lambda.Serving.Tests.Http;

/// <summary>
/// Attempts to get around the API keys: forged, truncated and mangled keys, keys in the wrong place
/// (query string, other headers, other schemes), and advertiser adv-a reaching for adv-b's campaign.
/// None authenticates, and none returns adv-b's data.
/// </summary>
public class AuthBypassTests : ApiTest
{
    private static readonly string CampA = Metrics("camp-a", D + (8 * H), D + (9 * H), "hour");
    private static readonly string CampB = Metrics("camp-b", D + (8 * H), D + (9 * H), "hour");

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string what)
    {
        Assert.True(status == response.StatusCode, $"{what}: {response.StatusCode}, expected {status}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("adv-b", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"impressions\"", body, StringComparison.Ordinal);
    }

    private IEnumerable<(string What, string Key)> ForgedKeys()
    {
        var admin = World.AdminKey;
        yield return ("truncated by one", admin[..^1]);
        yield return ("truncated to the prefix", admin[..10]);
        yield return ("prefix only", "lk_");
        yield return ("last character changed", admin[..^1] + (admin[^1] == 'A' ? 'B' : 'A'));
        yield return ("upper case", admin.ToUpperInvariant());
        yield return ("lower case", admin.ToLowerInvariant());
        yield return ("doubled", admin + admin);
        yield return ("with a NUL", admin + "\0");
        yield return ("percent-encoded", Uri.EscapeDataString(admin).Replace("_", "%5F", StringComparison.Ordinal));
        yield return ("its hash", Lambda.SharedModel.Access.ApiKeys.Hash(admin) is var h ? Convert.ToHexString(h) : "");
        yield return ("its id", Lambda.SharedModel.Access.ApiKeys.IdOf(Lambda.SharedModel.Access.ApiKeys.Hash(admin)));
        yield return ("huge", new string('A', 100_000));
        yield return ("sql", "' OR '1'='1");
        yield return ("revoked", World.RevokedKey);
    }

    [Fact]
    public async Task forged_truncated_and_mangled_keys_are_401_in_either_header()
    {
        var tried = 0;
        foreach (var (what, key) in ForgedKeys())
        {
            foreach (var header in new[] { "Authorization", "X-Api-Key" })
            {
                var request = new HttpRequestMessage(HttpMethod.Get, CampA);
                request.Headers.TryAddWithoutValidation(header, header == "Authorization" ? "Bearer " + key : key);

                await AssertProblem(await Client().SendAsync(request), HttpStatusCode.Unauthorized, $"{what} in {header}");
                tried++;
            }
        }

        Assert.Equal(28, tried);
    }

    [Theory]
    [InlineData("Authorization", "Basic {0}")]
    [InlineData("Authorization", "Token {0}")]
    [InlineData("Authorization", "{0}")]
    [InlineData("Authorization", "Bearer")]
    [InlineData("Authorization", "Bearer ")]
    [InlineData("Authorization", "Bearer\t")]
    [InlineData("Api-Key", "{0}")]
    [InlineData("X-Api-Token", "{0}")]
    [InlineData("X-Auth-Token", "{0}")]
    [InlineData("X-Forwarded-Authorization", "Bearer {0}")]
    [InlineData("Proxy-Authorization", "Bearer {0}")]
    [InlineData("Cookie", "api_key={0}")]
    [InlineData("X-Api-Key", "")]
    public async Task the_admin_key_in_any_other_header_or_scheme_does_not_authenticate(string header, string format)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/campaigns");
        request.Headers.TryAddWithoutValidation(header, string.Format(System.Globalization.CultureInfo.InvariantCulture, format, World.AdminKey));

        await AssertProblem(await Client().SendAsync(request), HttpStatusCode.Unauthorized, $"{header}: {format}");
    }

    [Theory]
    [InlineData("api_key")]
    [InlineData("API_KEY")]
    [InlineData("apikey")]
    [InlineData("key")]
    [InlineData("access_token")]
    [InlineData("token")]
    [InlineData("Token")]
    public async Task the_admin_key_in_a_known_query_parameter_is_refused_naming_it(string name)
    {
        var url = $"/v1/campaigns?{name}={World.AdminKey}";

        var response = await Client().GetAsync(url);

        await AssertProblem(response, HttpStatusCode.BadRequest, url);
        Assert.Equal(name.ToLowerInvariant(), (await JsonOf(response)).GetProperty("field").GetString()!.ToLowerInvariant());
    }

    [Theory]
    [InlineData("api-key")]
    [InlineData("apiKey")]
    [InlineData("x-api-key")]
    [InlineData("authorization")]
    [InlineData("bearer")]
    [InlineData("auth")]
    [InlineData("k")]
    public async Task the_admin_key_in_any_other_query_parameter_does_not_authenticate(string name)
    {
        var url = $"/v1/campaigns?{name}={World.AdminKey}";

        var response = await Client().GetAsync(url);

        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest, $"{url}: {response.StatusCode}");
        await AssertProblem(response, response.StatusCode, url);
    }

    [Fact]
    public async Task the_admin_key_in_the_query_does_not_upgrade_an_advertiser_key_in_the_header()
    {
        var client = Client(World.AdvertiserAKey);

        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync(CampB + "&api_key=" + World.AdminKey)).StatusCode);
        await AssertProblem(await client.GetAsync(CampB + "&auth=" + World.AdminKey), HttpStatusCode.NotFound, "auth= in the query");
        var events = await client.PostAsync("/v1/events?token=" + World.AdminKey, new StringContent("[]"));
        Assert.Equal(HttpStatusCode.BadRequest, events.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/v1/events?admin=" + World.AdminKey, new StringContent("[]"))).StatusCode);
    }

    [Fact]
    public async Task a_bad_x_api_key_is_not_rescued_by_a_good_bearer()
    {
        var client = Client(World.AdminKey);
        client.DefaultRequestHeaders.Add("X-Api-Key", "lk_forged");

        await AssertProblem(await client.GetAsync("/v1/campaigns"), HttpStatusCode.Unauthorized, "forged X-Api-Key beside a good bearer");
    }

    public static TheoryData<string> CampaignBPaths() =>
    [
        "/v1/campaigns/camp-b/metrics",
        "/v1/campaigns/camp-b/metrics/",
        "/V1/CAMPAIGNS/camp-b/METRICS",
        "/v1/campaigns/%63amp-b/metrics",
        "/v1/campaigns/camp%2Db/metrics",
        "/v1/campaigns/camp-b%2500/metrics",
        "/v1/campaigns/camp-a%2F..%2Fcamp-b/metrics",
        "/v1/campaigns/camp-a%252F..%252Fcamp-b/metrics",
        "/v1/campaigns/CAMP-B/metrics",
        "/v1/campaigns/camp-b%20/metrics",
        "/v1/campaigns/camp-b;x/metrics",
        "/v1/campaigns/camp-b%3Bx/metrics",
        "/v1/campaigns/camp-a,camp-b/metrics",
        "/v1/campaigns/camp-b%09/metrics",
        "/v1/campaigns/%EF%BD%83amp-b/metrics",
    ];

    [Theory]
    [MemberData(nameof(CampaignBPaths))]
    public async Task path_tricks_toward_another_advertisers_campaign_are_404_or_400_never_its_data(string path)
    {
        var url = path + "?from=2026-11-23T08:00:00Z&to=2026-11-23T09:00:00Z&granularity=hour";

        var response = await Client(World.AdvertiserAKey).GetAsync(url);

        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{url}: {response.StatusCode}");
        await AssertProblem(response, response.StatusCode, url);
    }

    [Fact]
    public async Task another_advertisers_campaign_is_invisible_in_lists_and_rankings()
    {
        var client = Client(World.AdvertiserAKey);

        foreach (var url in new[] { "/v1/campaigns", "/v1/campaigns/top?metric=impressions&from=2026-11-23&to=2026-11-24&limit=100", "/v1/campaigns/top?metric=impressions&from=2026-11-23&to=2026-11-24&advertiser_id=adv-b" })
        {
            var response = await client.GetAsync(url);
            var body = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain("camp-b", body, StringComparison.Ordinal);
            Assert.DoesNotContain("adv-b", body, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/v1/events/")]
    [InlineData("/V1/EVENTS")]
    [InlineData("/v1/Events")]
    public async Task an_advertiser_key_cannot_post_events_through_a_path_variant(string path)
    {
        var response = await Client(World.AdvertiserAKey).PostAsync(path, new StringContent("[]"));

        Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"{path}: {response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task the_keyless_health_endpoint_does_not_open_a_way_to_keyed_ones()
    {
        foreach (var path in new[] { "/v1/health/../campaigns", "/v1/health%2F..%2Fcampaigns", "/v1/health/%2e%2e/campaigns", "/v1/campaigns?x=/v1/health" })
        {
            var response = await Client().GetAsync(new Uri(path, UriKind.Relative));

            Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.NotFound, $"{path}: {response.StatusCode}");
            Assert.DoesNotContain("camp-", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task a_bearer_scheme_in_any_case_with_extra_spaces_is_still_the_same_key_and_nothing_more()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, CampB);
        request.Headers.TryAddWithoutValidation("Authorization", "bEaReR   " + World.AdvertiserAKey + "  ");

        await AssertProblem(await Client().SendAsync(request), HttpStatusCode.NotFound, "adv-a's key, odd bearer spelling, camp-b");
        var own = new HttpRequestMessage(HttpMethod.Get, CampA) { Headers = { Authorization = new AuthenticationHeaderValue("bearer", World.AdvertiserAKey) } };
        Assert.Equal(HttpStatusCode.OK, (await Client().SendAsync(own)).StatusCode);
    }
}

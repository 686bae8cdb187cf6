namespace Lambda.Serving.Tests.Http;

/// <summary>
/// Request targets sent byte for byte to a real Kestrel (no client normalizes them first): dot
/// segments, encoded slashes and dots, double encoding, NUL, case and trailing slash tricks toward
/// another advertiser's campaign or past the web root. Never a 500, never adv-b's data or a file outside.
/// </summary>
public sealed class KestrelPathTests : IAsyncLifetime
{
    private const string Range = "?from=2026-11-23T08:00:00Z&to=2026-11-23T09:00:00Z&granularity=hour";
    private RawKestrel _kestrel = null!;

    public async Task InitializeAsync() => _kestrel = await RawKestrel.StartAsync();

    public async Task DisposeAsync() => await _kestrel.DisposeAsync();

    private Task<(int Status, string Response)> SendRawAsync(string method, string target, string? key) => _kestrel.SendAsync(method, target, key);

    public static TheoryData<string> TowardCampaignB() =>
    [
        "/v1/campaigns/camp-b/metrics",
        "/v1/campaigns/camp-a/../camp-b/metrics",
        "/v1/campaigns/camp-a/%2e%2e/camp-b/metrics",
        "/v1/campaigns/camp-a/%2E%2E/camp-b/metrics",
        "/v1/campaigns/camp-a%2F..%2Fcamp-b/metrics",
        "/v1/campaigns/camp-a%252F..%252Fcamp-b/metrics",
        "/v1/campaigns/./camp-b/metrics",
        "/v1//campaigns/camp-b/metrics",
        "/v1/campaigns/camp-b/metrics/",
        "/v1/campaigns/camp-b/metrics/.",
        "/V1/Campaigns/camp-b/Metrics",
        "/v1/campaigns/%63amp-b/metrics",
        "/v1/campaigns/camp-b%00/metrics",
        "/v1/campaigns/camp-b%2500/metrics",
        "/v1/campaigns/camp-b%C0%AF/metrics",
        "/v1/campaigns/camp-b%ff/metrics",
        "/v1/campaigns/camp-b\\..\\camp-b/metrics",
        "/v1/campaigns/camp-a/..%5Ccamp-b/metrics",
        "//v1/campaigns/camp-b/metrics",
        "/v1/campaigns/camp-b%20/metrics",
        "http://localhost/v1/campaigns/camp-b/metrics",
    ];

    [Theory]
    [MemberData(nameof(TowardCampaignB))]
    public async Task raw_path_tricks_toward_another_advertisers_campaign_never_return_its_data(string path)
    {
        var (status, response) = await SendRawAsync("GET", path + Range, _kestrel.World.AdvertiserAKey);

        Assert.True(status is >= 400 and < 500, $"{path}: {status}\n{response}");
        Assert.DoesNotContain("adv-b", response, StringComparison.Ordinal);
        Assert.DoesNotContain("\"impressions\"", response, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/../../../../etc/passwd")]
    [InlineData("/..%2F..%2F..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd")]
    [InlineData("/%252e%252e/%252e%252e/etc/passwd")]
    [InlineData("/....//....//etc/passwd")]
    [InlineData("/..\\..\\..\\etc\\passwd")]
    [InlineData("/index.html%00.js")]
    [InlineData("/v1/health/../../../etc/passwd")]
    public async Task traversal_past_the_web_root_serves_nothing_outside_it(string path)
    {
        var (status, response) = await SendRawAsync("GET", path, null);

        Assert.True(status is >= 400 and < 500, $"{path}: {status}\n{response}");
        Assert.DoesNotContain("root:", response, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/events/")]
    [InlineData("/v1/./events")]
    [InlineData("/v1/campaigns/../events")]
    [InlineData("/V1/EVENTS")]
    [InlineData("/v1/events%2F")]
    public async Task an_advertiser_key_cannot_post_events_through_a_raw_path_variant(string path)
    {
        var (status, response) = await SendRawAsync("POST", path, _kestrel.World.AdvertiserAKey);

        Assert.True(status is 403 or 404 or 405, $"{path}: {status}\n{response}");
    }

    [Theory]
    [InlineData("/v1/health/../campaigns")]
    [InlineData("/v1/health/%2e%2e/campaigns")]
    [InlineData("/v1/health%2F..%2Fcampaigns")]
    public async Task the_keyless_health_path_does_not_lead_to_keyed_data_without_a_key(string path)
    {
        var (status, response) = await SendRawAsync("GET", path, null);

        Assert.True(status is 401 or 404, $"{path}: {status}\n{response}");
        Assert.DoesNotContain("camp-", response, StringComparison.Ordinal);
    }
}

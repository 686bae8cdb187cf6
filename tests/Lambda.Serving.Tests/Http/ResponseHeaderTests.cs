using System.Text.Json;

namespace Lambda.Serving.Tests.Http;

/// <summary>
/// What every response of a real Kestrel says about itself: no <c>Server</c>, nosniff, a strict
/// Content-Security-Policy that forbids framing, no referrer, and no caching of API answers; and the
/// OpenAPI document names the configured public URL, never the request's Host.
/// </summary>
public sealed class ResponseHeaderTests : IAsyncLifetime
{
    private const string PublicUrl = "https://metrics.example.com/api";
    private RawKestrel _kestrel = null!;

    public async Task InitializeAsync()
    {
        var options = ServingFactory.TestOptions();
        options.PublicUrl = PublicUrl;
        _kestrel = await RawKestrel.StartAsync(options);
    }

    public async Task DisposeAsync() => await _kestrel.DisposeAsync();

    [Theory]
    [InlineData("/", false, 200)]
    [InlineData("/app.js", false, 200)]
    [InlineData("/openapi/v1.json", false, 200)]
    [InlineData("/nope", false, 404)]
    [InlineData("/v1/health", true, 200)]
    [InlineData("/v1/campaigns", true, 200)]
    [InlineData("/v1/campaigns/camp-b/metrics?from=2026-11-23&to=2026-11-24", true, 404)]
    [InlineData("/v1/campaigns/camp-a/metrics?from=2026-11-23&to=x", true, 400)]
    [InlineData("/v1/status", true, 401)]
    public async Task every_response_carries_the_security_headers_and_no_server_header(string path, bool api, int status)
    {
        var key = status == 401 ? null : _kestrel.World.AdvertiserAKey;

        var (actual, response) = await _kestrel.SendAsync("GET", path, key);

        Assert.Equal(status, actual);
        var headers = RawKestrel.HeaderLines(response);
        Assert.DoesNotContain(headers, h => h.StartsWith("Server:", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("X-Content-Type-Options: nosniff", headers);
        Assert.Contains("Referrer-Policy: no-referrer", headers);
        var csp = Assert.Single(headers, h => h.StartsWith("Content-Security-Policy:", StringComparison.Ordinal));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        if (api)
        {
            Assert.Contains("Cache-Control: no-store", headers);
        }
    }

    [Fact]
    public async Task the_openapi_server_is_the_configured_public_url_not_the_host_header()
    {
        var (status, response) = await _kestrel.SendAsync("GET", "/openapi/v1.json", null, host: "evil.example:666");

        Assert.Equal(200, status);
        Assert.DoesNotContain("evil.example", response, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]);
        var server = Assert.Single(document.RootElement.GetProperty("servers").EnumerateArray());
        Assert.Equal(PublicUrl, server.GetProperty("url").GetString());
    }
}

using System.Net;
using System.Net.Http.Headers;
using Lambda.Serving.Access;

namespace Lambda.Dashboard.Tests.Jobs;

/// <summary>
/// Who gets into /jobs, over plain HTTP: admin keys only (another key: 404, none or an unknown one:
/// 401), never a key in the query string, and the page's own XHRs (statistics) and files authenticate
/// through the cookie a key given once sets. The page carries its own security headers.
/// </summary>
public sealed class JobsDashboardAccessTests : IAsyncLifetime
{
    private SchedulerUnderTest _host = null!;

    public async Task InitializeAsync() => _host = await SchedulerUnderTest.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("/jobs/")]
    [InlineData("/jobs/recurring")]
    [InlineData("/jobs/jobs/failed")]
    public async Task no_key_or_an_unknown_key_is_a_401_and_an_advertiser_key_a_404(string path)
    {
        using var http = Client();
        using var none = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, path));
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);

        using var unknown = await http.SendAsync(Keyed(HttpMethod.Get, path, "lk_not_a_key"));
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);

        using var advertiser = await http.SendAsync(Keyed(HttpMethod.Get, path, _host.AdvertiserKey));
        Assert.Equal(HttpStatusCode.NotFound, advertiser.StatusCode);
        Assert.False(advertiser.Headers.Contains("Set-Cookie"));

        using var admin = await http.SendAsync(Keyed(HttpMethod.Get, path, _host.AdminKey));
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Fact]
    public async Task a_key_given_once_sets_a_cookie_the_pages_xhrs_then_authenticate_with()
    {
        var cookies = new CookieContainer();
        using var http = Client(cookies);
        using var first = await http.SendAsync(Keyed(HttpMethod.Get, "/jobs/", _host.AdminKey));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var cookie = Assert.Single(first.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(OperatorGate.CookieName + "=", cookie, StringComparison.Ordinal);
        Assert.Contains("path=/jobs", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(_host.AdminKey, cookie, StringComparison.Ordinal);

        // The statistics the page polls, with the cookie only, as the browser sends them.
        using var stats = await http.PostAsync("/jobs/stats", new FormUrlEncodedContent([new("metrics[]", "succeeded:count")]));
        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
        Assert.Contains("succeeded:count", await stats.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The API is not opened by the cookie: it is scoped to /jobs, and the API takes headers only.
        using var api = await http.GetAsync("/v1/status");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task a_key_in_the_query_string_is_refused_and_a_cross_site_post_forbidden()
    {
        using var http = Client();
        using var query = await http.SendAsync(Keyed(HttpMethod.Get, "/jobs/?api_key=" + _host.AdminKey, _host.AdminKey));
        Assert.Equal(HttpStatusCode.BadRequest, query.StatusCode);

        var trigger = Keyed(HttpMethod.Post, "/jobs/recurring/trigger", _host.AdminKey);
        trigger.Content = new FormUrlEncodedContent([new("jobs[]", "archive")]);
        trigger.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var crossSite = await http.SendAsync(trigger);
        Assert.Equal(HttpStatusCode.Forbidden, crossSite.StatusCode);
        Assert.Empty(await _host.History.ListRunsAsync("archive", 10));
    }

    [Fact]
    public async Task the_page_brings_its_own_content_security_policy_and_no_framing()
    {
        using var http = Client();
        using var page = await http.SendAsync(Keyed(HttpMethod.Get, "/jobs/recurring", _host.AdminKey));
        Assert.Equal(Lambda.Jobs.JobsDashboard.ContentSecurityPolicy, page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
    }

    private HttpClient Client(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), UseCookies = cookies is not null, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(_host.BaseAddress),
        };

    private static HttpRequestMessage Keyed(HttpMethod method, string path, string key)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }
}

using System.Diagnostics;
using System.Net;
using Lambda.Serving.Access;
using Lambda.Serving.Http;
using Lambda.SharedModel.Access;
using Microsoft.Extensions.DependencyInjection;

namespace Lambda.Serving.Tests.Http;

/// <summary>
/// Forged keys are cheap to refuse: one not shaped like a key is a 401 without a lookup or a cache
/// entry (3,000 forged 30 KB keys used to be remembered for 5 s each), and well-formed unknown keys
/// beyond the host's failed-authentication bucket are a 429 before their lookup, while a remembered
/// real key goes on working.
/// </summary>
public class ForgedKeyTests : ApiTest
{
    private const int Burst = 5;

    protected override ServingOptions Options
    {
        get
        {
            var options = ServingFactory.TestOptions();
            options.AccessCacheDuration = TimeSpan.FromSeconds(30);
            options.FailedAuthPerSecond = 1;
            options.FailedAuthBurst = Burst;
            return options;
        }
    }

    [Theory]
    [InlineData(30_000)]
    [InlineData(ApiKeys.Length + 1)]
    [InlineData(ApiKeys.Length - 1)]
    public async Task malformed_keys_are_401_and_neither_remembered_nor_counted(int length)
    {
        var directory = Services.GetRequiredService<AccessDirectory>();
        var forged = Enumerable.Range(0, 300).Select(i => ApiKeys.Prefix + i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture).PadRight(length - 3, 'A')).ToArray();

        var responses = await Task.WhenAll(forged.Select(key => Client(key).GetAsync("/v1/campaigns")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Equal(0, directory.RememberedCount);
        // Not counted as failures either: a well-formed unknown key still gets its lookup (401, not 429).
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client(ApiKeys.NewKey()).GetAsync("/v1/campaigns")).StatusCode);
    }

    [Fact]
    public async Task unknown_well_formed_keys_beyond_the_failure_bucket_are_429_while_a_remembered_key_works()
    {
        var directory = Services.GetRequiredService<AccessDirectory>();
        var real = Client(World.AdvertiserAKey);
        Assert.Equal(HttpStatusCode.OK, (await real.GetAsync("/v1/campaigns")).StatusCode);
        var clock = Stopwatch.StartNew();

        var statuses = new List<HttpResponseMessage>();
        for (var i = 0; i < 40; i++)
        {
            statuses.Add(await Client(ApiKeys.NewKey()).GetAsync("/v1/campaigns"));
        }
        var elapsed = clock.Elapsed;

        var failed = statuses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized);
        var throttled = statuses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(statuses.Count, failed + throttled.Count);
        // The bucket lets through its burst plus what refills meanwhile, never more.
        Assert.InRange(failed, Burst, Burst + (int)Math.Ceiling(elapsed.TotalSeconds) + 1);
        Assert.All(throttled, r => Assert.Equal(TimeSpan.FromSeconds(1), r.Headers.RetryAfter?.Delta));
        Assert.Equal(HttpStatusCode.OK, (await real.GetAsync("/v1/campaigns")).StatusCode);
        // Only the real key is remembered.
        Assert.Equal(1, directory.RememberedCount);
    }
}

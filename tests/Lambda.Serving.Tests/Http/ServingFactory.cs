using Lambda.Serving.Http;
using Lambda.SharedModel.Access;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;

namespace Lambda.Serving.Tests.Http;

/// <summary>
/// The serving host in memory (TestServer) over given stores and log. The entry point type is from this
/// (test) assembly, which has one; the host itself is built by <see cref="CreateHostBuilder"/>.
/// </summary>
public sealed class ServingFactory(IViewStore store, IApiKeyStore keys, IEventLog? log, ServingOptions options)
    : WebApplicationFactory<ServingWorld>
{
    static ServingFactory()
    {
        // The factory looks for a content root next to a solution-relative project folder named after
        // the entry assembly, which does not exist here: point it at the test output instead.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_LAMBDA_SERVING_TESTS", AppContext.BaseDirectory);
    }

    /// <summary>Options for tests: no answer cache (each request sees the store), generous rate limits.</summary>
    public static ServingOptions TestOptions() => new()
    {
        SpeedCacheDuration = TimeSpan.Zero,
        AccessCacheDuration = TimeSpan.Zero,
        RateLimitPerSecond = 10_000,
        RateLimitBurst = 10_000,
    };

    protected override IHostBuilder CreateHostBuilder() => new HostBuilder().ConfigureWebHost(web => web
        .UseContentRoot(AppContext.BaseDirectory)
        .ConfigureServices(services => services.AddServing(options, store, keys, log))
        .Configure(app => app.UseServing()));
}

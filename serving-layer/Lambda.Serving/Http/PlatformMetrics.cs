using Lambda.Serving.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Lambda.Serving.Http;

/// <summary>
/// <c>GET /metrics</c>: every meter of the platform in the process (speed layer, ingest, batch jobs) and the
/// HTTP server's requests by route and status, in Prometheus text format through OpenTelemetry's
/// exporter. Admin keys only (a scraper sends one as a bearer token): per-partition figures describe
/// the whole platform, which advertisers do not see (see <c>/v1/status</c>).
/// </summary>
public static class PlatformMetrics
{
    /// <summary>The meters the platform's layers publish, by name (each layer owns its own).</summary>
    public static readonly string[] Meters = ["Lambda.Speed", "Lambda.Serving", "Lambda.Jobs"];

    public const string Path = "/metrics";

    public static IServiceCollection AddPlatformMetrics(this IServiceCollection services)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("lambda"))
            .WithMetrics(metrics => metrics
            .AddMeter(Meters)
            .AddAspNetCoreInstrumentation()
            // No response cache: a scrape shows the values of that moment.
            .AddPrometheusExporter(exporter => exporter.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }

    public static IEndpointRouteBuilder MapPlatformMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusScrapingEndpoint(Path).WithMetadata(new RequiresApiKey(AdminOnly: true));
        return endpoints;
    }
}

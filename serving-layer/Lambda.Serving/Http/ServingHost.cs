using System.Globalization;
using System.Text.Json;
using System.Threading.RateLimiting;
using Lambda.Serving.Access;
using Lambda.Serving.Api;
using Lambda.Serving.Merge;
using Lambda.SharedModel.Access;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using Microsoft.OpenApi;

namespace Lambda.Serving.Http;

/// <summary>
/// The serving host: services (<see cref="AddServing"/>), the pipeline (<see cref="UseServing"/>) and
/// the API under <c>/v1</c>, plus <see cref="CreateApp"/> for <c>lambda serve</c>. The stores and the
/// log belong to the caller, which disposes them after the host.
/// </summary>
public static class ServingHost
{
    /// <summary>The rate limiter policy of every keyed endpoint: a token bucket per API key.</summary>
    public const string PerKeyPolicy = "per-key";

    /// <summary>
    /// A Kestrel host on <paramref name="urls"/> over the given store, keys and (optional) log.
    /// <paramref name="addServices"/> registers extras a host brings, such as the job history that
    /// /v1/status lists when the host also schedules jobs; <paramref name="operatorPages"/> are pages for
    /// admin keys only, such as the scheduler's dashboard when the host schedules.
    /// </summary>
    public static WebApplication CreateApp(string[] urls, ServingOptions options, IViewStore store, IApiKeyStore keys, IEventLog? log,
        Action<IServiceCollection>? addServices = null, IReadOnlyList<OperatorPage>? operatorPages = null)
    {
        ArgumentNullException.ThrowIfNull(urls);
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            // "Server: Kestrel" tells a prober what to try; nothing needs it.
            kestrel.AddServerHeader = false;
        });
        // A log line per request costs more than the request itself at the target rate.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        builder.Services.AddServing(options, store, keys, log);
        addServices?.Invoke(builder.Services);
        var app = builder.Build();
        app.UseOperatorPages(operatorPages ?? []);
        app.UseServing();
        return app;
    }

    /// <summary>
    /// A Kestrel host on <paramref name="urls"/> with operator pages only (no API, no advertisers'
    /// dashboard): `lambda scheduler --urls` shows its dashboard this way. Keys are checked against
    /// <paramref name="keys"/> like the API's.
    /// </summary>
    public static WebApplication CreateOperatorApp(string[] urls, IApiKeyStore keys, IViewStore store, IReadOnlyList<OperatorPage> operatorPages)
    {
        ArgumentNullException.ThrowIfNull(urls);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(urls);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        var defaults = new ServingOptions();
        builder.Services.AddSingleton(new AccessDirectory(keys, store, defaults.AccessCacheDuration,
            new FailedAuthLimiter(defaults.FailedAuthPerSecond, defaults.FailedAuthBurst)));
        var app = builder.Build();
        app.UseOperatorPages(operatorPages);
        return app;
    }

    /// <summary>
    /// Branches each operator page off before the serving pipeline: its own security headers (the
    /// serving layer's would forbid what the page needs), then <see cref="OperatorGate"/>, then the page.
    /// </summary>
    public static IApplicationBuilder UseOperatorPages(this IApplicationBuilder app, IEnumerable<OperatorPage> pages)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(pages);
        foreach (var page in pages)
        {
            app.Map(page.Path, branch =>
            {
                branch.UseMiddleware<OperatorPageHeaders>(page.ContentSecurityPolicy);
                // "/jobs" and "/jobs/" are one page; the page's own links are relative to the latter.
                branch.Use((context, next) =>
                {
                    if (context.Request.Path.HasValue)
                    {
                        return next(context);
                    }
                    context.Response.Redirect(context.Request.PathBase + "/");
                    return Task.CompletedTask;
                });
                branch.UseMiddleware<OperatorGate>();
                page.Configure(branch);
            });
        }
        return app;
    }

    /// <summary>
    /// Registers what the API needs. <paramref name="log"/> may be null (a host that cannot append, e.g.
    /// beside the owner of an embedded log): POST /v1/events then answers 503, with the
    /// <see cref="ReadOnlyLogIngest"/> problem if the host registered one.
    /// </summary>
    public static IServiceCollection AddServing(this IServiceCollection services, ServingOptions options, IViewStore store,
        IApiKeyStore keys, IEventLog? log)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        services.AddSingleton(options);
        services.AddSingleton(store);
        services.AddSingleton(keys);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new MetricsQuery(store, sp.GetRequiredService<TimeProvider>(), options.SpeedCacheDuration, options.CacheSizeBytes,
            options.GenerationMaxAge));
        services.AddSingleton(new AccessDirectory(keys, store, options.AccessCacheDuration,
            new FailedAuthLimiter(options.FailedAuthPerSecond, options.FailedAuthBurst)));
        if (log is not null)
        {
            services.AddSingleton(sp => new EventSink(log, sp.GetRequiredService<TimeProvider>()));
        }
        services.AddPlatformMetrics();
        services.AddRouting();
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = RequestIdMiddleware.AddToProblem);
        services.AddExceptionHandler<StoreUnavailableHandler>();
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ServingJsonContext.Default);
        });
        services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            // The framework fills servers from the request's Host header, which any client chooses:
            // name the configured public URL instead, or none (clients then resolve paths against
            // the document's own address).
            document.Servers = options.PublicUrl is { } url ? [new OpenApiServer { Url = url }] : [];
            return Task.CompletedTask;
        }));
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(PerKeyPolicy, context => RateLimitPartition.GetTokenBucketLimiter(
                context.Features.Get<Caller>()?.KeyId ?? "",
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.RateLimitBurst,
                    TokensPerPeriod = options.RateLimitPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            limiter.OnRejected = async (rejected, _) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                rejected.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await Problems.Write(rejected.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests",
                    $"This API key is over its rate limit of {options.RateLimitPerSecond} requests/s; retry after {retryAfter} s.").ConfigureAwait(false);
            };
        });
        return services;
    }

    /// <summary>The pipeline: security headers, errors as ProblemDetails, the dashboard at <c>/</c>, keys, rate limits, the API.</summary>
    public static IApplicationBuilder UseServing(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.ApplicationServices.GetRequiredService<ServingOptions>();
        app.UseMiddleware<SecurityHeaders>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (Directory.Exists(options.WebRoot))
        {
            var files = new PhysicalFileProvider(Path.GetFullPath(options.WebRoot));
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        }
        app.UseRouting();
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseRateLimiter();
        app.UseEndpoints(endpoints => endpoints.MapServingApi());
        return app;
    }

    /// <summary>Maps <c>/v1/*</c> and the OpenAPI document at <c>/openapi/v1.json</c>.</summary>
    public static IEndpointRouteBuilder MapServingApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var v1 = endpoints.MapGroup("/v1");
        v1.MapGet("/health", () => TypedResults.Ok(new HealthAnswer("ok")));

        var keyed = v1.MapGroup("").WithMetadata(new RequiresApiKey()).RequireRateLimiting(PerKeyPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        keyed.MapGet("/campaigns", CampaignsEndpoint.HandleAsync).Produces<CampaignList>();
        keyed.MapGet("/campaigns/top", TopCampaignsEndpoint.HandleAsync).Produces<TopCampaigns>().ProducesValidationProblem();
        keyed.MapGet("/campaigns/{id}/metrics", MetricsEndpoint.HandleAsync)
            .Produces<MetricsAnswer>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        keyed.MapGet("/status", StatusEndpoint.HandleAsync).Produces<ServingStatus>();
        keyed.MapPut("/campaigns/{id}/owner", CampaignOwnerEndpoint.HandleAsync)
            .WithMetadata(new RequiresApiKey(AdminOnly: true))
            .Accepts<OwnerTransfer>("application/json")
            .Produces<CampaignOwnership>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        keyed.MapPost("/events", (HttpContext context, ServingOptions options) =>
                context.RequestServices.GetService<EventSink>() is { } sink
                    ? EventsEndpoint.HandleAsync(context, sink, options)
                    : Task.FromResult(context.RequestServices.GetService<ReadOnlyLogIngest>() is { } readOnly
                        ? readOnly.Answer()
                        : Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "No event log",
                            detail: "This host was started without an event log.")))
            .WithMetadata(new RequiresApiKey(AdminOnly: true), new CarriesRequestId())
            .Produces<IngestAnswer>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        endpoints.MapOpenApi();
        endpoints.MapPlatformMetrics();
        return endpoints;
    }
}

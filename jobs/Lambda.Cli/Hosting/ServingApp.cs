using Lambda.Serving.Http;
using Lambda.SharedModel.Access;
using Lambda.SharedModel.Jobs;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lambda.Cli.Hosting;

/// <summary>
/// The serving API and dashboard inside a host that also schedules jobs: as <see cref="ServingHost.CreateApp"/>,
/// plus the job history, so <c>GET /v1/status</c> lists the latest run of every job.
/// </summary>
internal static class ServingApp
{
    public static WebApplication Create(string[] urls, ServingOptions options, IViewStore store, IApiKeyStore keys, IEventLog? log,
        IJobHistoryStore history)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(urls);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        builder.Services.AddServing(options, store, keys, log);
        builder.Services.AddSingleton(history);
        var app = builder.Build();
        app.UseServing();
        return app;
    }
}

using System.CommandLine;
using System.Globalization;
using System.Runtime;
using Lambda.Cli.CommandLine;
using Lambda.Cli.Hosting;
using Lambda.Serving.Http;
using Lambda.SharedModel.Log;
using Microsoft.Extensions.DependencyInjection;

namespace Lambda.Cli.Commands;

/// <summary>
/// `lambda serve`: the HTTP API and dashboard over the configured store and log, until Ctrl-C or SIGTERM.
/// Beside the process that owns an embedded log (`lambda run`, `lambda speed`) it serves without it:
/// queries and /v1/status read the store, and POST /v1/events answers 503 naming the owner
/// (<see cref="ServeLogAccess"/>).
/// </summary>
internal static class ServeCommand
{
    public static Command Create(PlatformOptions platform)
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen, e.g. http://127.0.0.1:8080 (several separated by ';').",
            DefaultValueFactory = _ => "http://127.0.0.1:8080",
        };
        var rate = new Option<int>("--rate-limit")
        {
            Description = "Requests per second each API key may make on average (token bucket refill).",
            DefaultValueFactory = _ => new ServingOptions().RateLimitPerSecond,
        };
        var burst = new Option<int?>("--rate-burst") { Description = "Requests a key may make in a burst (default: twice --rate-limit)." };
        var cacheMs = new Option<int>("--speed-cache-ms")
        {
            Description = "How long a merged answer may be reused while the store has not changed, in ms (bounds the age of speed_read_at; 0 = no answer cache).",
            DefaultValueFactory = _ => 60_000,
        };
        var logAccess = new Option<string>("--log-access")
        {
            Description = "How an embedded log is opened: auto (own it if free, else read-only beside its owner), owner (fail if another process owns it) "
                + "or read-only (never own it; POST /v1/events then answers 503). Env LAMBDA_LOG_ACCESS; default auto.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("LAMBDA_LOG_ACCESS") is { Length: > 0 } access ? access : ServeLogAccess.Auto,
        };
        logAccess.AcceptOnlyFromAmong(ServeLogAccess.Auto, ServeLogAccess.Owner, ServeLogAccess.ReadOnly);
        var generationMs = new Option<int>("--generation-max-age-ms")
        {
            Description = "How old a check of the store for changes a query may reuse, in ms: a write is in every answer this long after it (0 = check for every query).",
            DefaultValueFactory = _ => (int)new ServingOptions().GenerationMaxAge.TotalMilliseconds,
        };
        var publicUrl = new Option<string?>("--public-url")
        {
            Description = "The absolute URL clients reach this host at (e.g. behind a proxy), named as the OpenAPI document's server (default: none).",
        };
        var maxRejected = new Option<long>("--ingest-max-rejected")
        {
            Description = "The most invalid records a POST /v1/events may carry; with more it is refused whole (400 with a summary) and nothing is appended.",
            DefaultValueFactory = _ => new ServingOptions().IngestMaxRejected,
        };
        var maxRejectedShare = new Option<double>("--ingest-max-rejected-share")
        {
            Description = $"The largest share (0-1) of invalid records a POST /v1/events of at least {IngestCheck.ShareAppliesFrom} records may carry before it is refused whole.",
            DefaultValueFactory = _ => new ServingOptions().IngestMaxRejectedShare,
        };
        var failedAuth = new Option<int>("--failed-auth-limit")
        {
            Description = "Failed authentications per second (burst: four times as many) the whole host allows; beyond, keys not remembered get 429 before their lookup.",
            DefaultValueFactory = _ => new ServingOptions().FailedAuthPerSecond,
        };
        var cacheMb = new Option<long>("--cache-size-mb")
        {
            Description = "Memory the query cache may hold, in MiB (estimated: batch rows, answers with their JSON and gzip).",
            DefaultValueFactory = _ => new ServingOptions().CacheSizeBytes >> 20,
        };
        var command = new Command("serve", "Serve the HTTP API (/v1), its OpenAPI document and the dashboard.")
        {
            urls, rate, burst, cacheMs, generationMs, logAccess, publicUrl, maxRejected, maxRejectedShare, failedAuth, cacheMb,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            ThreadPoolFloor.Raise();
            var perSecond = parsed.GetValue(rate);
            var options = new ServingOptions
            {
                RateLimitPerSecond = perSecond,
                RateLimitBurst = parsed.GetValue(burst) ?? Math.Max(1, perSecond * 2),
                SpeedCacheDuration = TimeSpan.FromMilliseconds(parsed.GetValue(cacheMs)),
                GenerationMaxAge = TimeSpan.FromMilliseconds(parsed.GetValue(generationMs)),
                PublicUrl = parsed.GetValue(publicUrl),
                IngestMaxRejected = parsed.GetValue(maxRejected),
                IngestMaxRejectedShare = parsed.GetValue(maxRejectedShare),
                FailedAuthPerSecond = parsed.GetValue(failedAuth),
                FailedAuthBurst = parsed.GetValue(failedAuth) * 4,
                CacheSizeBytes = parsed.GetValue(cacheMb) << 20,
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException ex)
            {
                throw new UsageException(ex.Message);
            }

            var output = parsed.InvocationConfiguration.Output;
            var listen = parsed.GetValue(urls)!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var access = await ServeLogAccess.OpenAsync(platform, parsed, parsed.GetValue(logAccess)!, $"lambda serve, API on {string.Join(", ", listen)}",
                cancellationToken).ConfigureAwait(false);
            await using var log = access.Log;
            await using var store = await platform.OpenStoreAsync(parsed, cancellationToken).ConfigureAwait(false);
            await using var keys = await platform.OpenApiKeyStoreAsync(parsed, cancellationToken).ConfigureAwait(false);
            await using var history = await platform.OpenJobHistoryAsync(parsed, cancellationToken).ConfigureAwait(false);
            await using var app = ServingHost.CreateApp(listen, options, store, keys, log, services =>
            {
                // /v1/status lists the scheduler's latest runs, wherever the scheduler runs: the history is in the store.
                services.AddSingleton(history);
                if (access.ReadOnlyIngest is { } readOnly)
                {
                    services.AddSingleton(readOnly);
                }
            });
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            if (access.Notice is { } notice)
            {
                await output.WriteLineAsync(notice).ConfigureAwait(false);
            }

            await output.WriteLineAsync($"serving on {string.Join(", ", listen)} ({store.Kind} store, {access.Description})").ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C or SIGTERM: stop below, letting requests in flight finish.
            }
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            // What the runtime spent on garbage while serving: the first place to look for a latency tail.
            await parsed.InvocationConfiguration.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"gc: {(GCSettings.IsServerGC ? "server" : "workstation")} {GCSettings.LatencyMode}, {GC.GetTotalAllocatedBytes() / 1_000_000} MB allocated, " +
                $"collections gen0 {GC.CollectionCount(0)} gen1 {GC.CollectionCount(1)} gen2 {GC.CollectionCount(2)}, " +
                $"paused {GC.GetTotalPauseDuration().TotalMilliseconds:F0} ms")).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}

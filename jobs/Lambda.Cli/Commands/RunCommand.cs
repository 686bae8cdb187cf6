using System.CommandLine;
using System.Diagnostics;
using Lambda.Cli.CommandLine;
using Lambda.Cli.Hosting;
using Lambda.Jobs;
using Lambda.Serving.Http;
using Lambda.Speed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lambda.Cli.Commands;

/// <summary>
/// `lambda run`: the whole platform in one process — the log (embedded by default), the speed layer,
/// the scheduler (nightly recompute, hourly archive, retention) and the HTTP API with its dashboard
/// and, for admin keys, the scheduler's dashboard at /jobs (--no-serve and --no-scheduler leave those
/// to `lambda serve` and `lambda scheduler` beside it) —
/// until Ctrl-C or SIGTERM, then a clean stop: traffic stops, running jobs end, the speed layer
/// checkpoints and flushes, the server drains, stores and log close.
/// </summary>
internal static class RunCommand
{
    /// <summary>The settings `lambda run` reads: the keys its settings file may hold (README.md, "Settings").</summary>
    public static readonly string[] SettingKeys =
        [.. PlatformSettings.Keys, .. SchedulerSettings.Keys, .. DemoSettings.Keys, "urls", "no_serve", "no_scheduler"];

    public static Command Create(PlatformOptions platform)
    {
        var config = new Option<string?>("--config") { Description = "Settings file (JSON object of settings; default <data-dir>/lambda.json if present). Precedence: file < LAMBDA_* < flags." };
        var urls = new Option<string?>("--urls") { Description = "Where the API and dashboard listen (default http://127.0.0.1:8080)." };
        var demo = new Option<bool>("--demo") { Description = "Generate demo traffic: past days (archived and recomputed at once) and live traffic for today." };
        var demoDays = SettingFlags.Integer("--demo-days", "demo_days", "Days of past traffic the demo writes at its first start (default 3).");
        var demoRate = SettingFlags.Integer("--demo-rate", "demo_rate", "Demo records per second (history density and live rate; default 2).");
        var noServe = new Option<bool>("--no-serve") { Description = "Leave out the API and dashboard: serve them with 'lambda serve' beside this process (setting no_serve)." };
        var noScheduler = new Option<bool>("--no-scheduler") { Description = "Leave out the scheduler: run 'lambda scheduler' beside this process (setting no_scheduler)." };
        var retentionOptions = new LogRetentionOptions();
        var speedOptions = new SpeedCommandOptions();
        var scheduler = new SchedulerSettings();
        var command = new Command("run", "Run everything in one process: log, speed layer, scheduler, API and dashboard.") { config, urls, demo, demoDays, demoRate, noServe, noScheduler };
        speedOptions.AddTo(command);
        scheduler.AddTo(command);
        retentionOptions.AddTo(command);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            ThreadPoolFloor.Raise();
            var sinceStart = Stopwatch.StartNew();
            var output = parsed.InvocationConfiguration.Output;
            var dataDirectory = platform.DataDirectory(parsed);
            var settings = RunSettings.Load(parsed.GetValue(config), dataDirectory, SettingKeys);
            settings.SetFlag(parsed, "urls", urls);
            retentionOptions.SetFlags(parsed, settings);
            settings.SetFlag(parsed, "demo_days", demoDays);
            settings.SetFlag(parsed, "demo_rate", demoRate);
            foreach (var (key, flag) in new[] { ("demo", demo), ("no_serve", noServe), ("no_scheduler", noScheduler) })
            {
                if (parsed.GetValue(flag))
                {
                    settings.SetFlag(parsed, key, flag);
                }
            }

            var resources = PlatformSettings.Read(parsed, platform, settings, dataDirectory);
            var schedulerOptions = scheduler.Read(parsed, settings, resources);
            var batchThreads = SchedulerSettings.ReadBatchThreads(settings);
            var isDemo = settings.GetBool("demo", false);
            var serve = !settings.GetBool("no_serve", false);
            var schedule = !settings.GetBool("no_scheduler", false);
            var demoSettings = DemoSettings.Read(settings);
            var listen = settings.GetString("urls", "http://127.0.0.1:8080")!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var speed = speedOptions.Read(parsed, dataDirectory);
            var bots = speedOptions.LoadBotRules(parsed);
            if (resources.LogRetention.Guards == LogRetentionSettings.DefaultGuards && speed.ConsumerGroup != LogRetentionSettings.DefaultGuards[0])
            {
                // The speed layer commits under another group: that group guards the log instead.
                resources = resources with { LogRetention = resources.LogRetention with { Guards = [speed.ConsumerGroup, .. LogRetentionSettings.DefaultGuards.Skip(1)] } };
            }

            using var loggers = Logging.Create(parsed);
            JobScheduler.LogHangfireTo(loggers);
            var logger = loggers.CreateLogger("Lambda.Run");
            await using var log = await resources.OpenLogAsync(cancellationToken,
                owner: serve ? $"lambda run, API on {string.Join(", ", listen)}" : "lambda run --no-serve").ConfigureAwait(false);
            if (resources.Log == "embedded" && resources.LogRetention.Retention is { } retention)
            {
                logger.LogInformation(CliLogEvents.LogRetention, "log retention {Retention}: sealed segments go once older and read by {Guards}", retention,
                    resources.LogRetention.Guards.Count == 0 ? "anyone (no guard groups)" : string.Join(", ", resources.LogRetention.Guards));
            }

            await using var store = await resources.OpenStoreAsync(cancellationToken).ConfigureAwait(false);
            await using var keys = await resources.OpenKeysAsync(cancellationToken).ConfigureAwait(false);
            await using var history = await resources.OpenHistoryAsync(cancellationToken).ConfigureAwait(false);
            var batch = new LambdaBatchOperations(log, store, dataDirectory, bots, batchThreads, loggers);
            await using var jobs = schedule ? new JobScheduler(schedulerOptions, batch, store, history, loggers) : null;
            await using var app = serve
                ? ServingHost.CreateApp(listen, new ServingOptions(), store, keys, log, services => services.AddSingleton(history),
                    jobs is null ? null : [JobsDashboard.Page(jobs)])
                : null;

            await (app?.StartAsync(cancellationToken) ?? Task.CompletedTask).ConfigureAwait(false);
            var speedLayer = new SpeedLayer(log, store, bots, speed, loggers, TimeProvider.System);
            var speedTask = Task.Run(() => speedLayer.RunAsync(cancellationToken), CancellationToken.None);
            await (jobs?.StartAsync(cancellationToken) ?? Task.CompletedTask).ConfigureAwait(false);
            await output.WriteLineAsync($"lambda run: {(serve ? $"dashboard and API on {string.Join(", ", listen)}" : "no API (--no-serve)")} ({resources.Log} log, {resources.Store} store, {(schedule ? $"schedule on {schedulerOptions.Store}{(serve ? $", its dashboard at {JobsDashboard.Path} for admin keys" : "")}" : "no scheduler (--no-scheduler)")}, data in {Path.GetFullPath(dataDirectory)})").ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);

            var demoTask = isDemo
                ? Task.Run(() => new DemoTraffic(log, store, keys, jobs, demoSettings, dataDirectory, output, loggers.CreateLogger("Lambda.Demo")).RunAsync(sinceStart, cancellationToken), CancellationToken.None)
                : Task.CompletedTask;
            var statsTask = ProcessStats.RunAsync(logger, () => speedLayer.StateSize, cancellationToken);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C or SIGTERM: stop in order below.
            }

            logger.LogInformation(CliLogEvents.Stopping, "stopping: traffic, scheduler, speed layer, server");
            await IgnoreCancellation(demoTask).ConfigureAwait(false);
            await statsTask.ConfigureAwait(false);
            await (jobs?.StopAsync(CancellationToken.None) ?? Task.CompletedTask).ConfigureAwait(false);
            await IgnoreCancellation(speedTask).ConfigureAwait(false);
            await (app?.StopAsync(CancellationToken.None) ?? Task.CompletedTask).ConfigureAwait(false);
            logger.LogInformation(CliLogEvents.StoppedCleanly, "stopped cleanly");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task IgnoreCancellation(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}

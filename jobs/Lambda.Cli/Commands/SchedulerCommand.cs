using System.CommandLine;
using Lambda.Cli.CommandLine;
using Lambda.Cli.Hosting;
using Lambda.Jobs;
using Lambda.Serving.Http;

namespace Lambda.Cli.Commands;

/// <summary>
/// `lambda scheduler`: only the scheduler, for the distributed mode (beside `lambda speed` and
/// `lambda serve`). With --store postgres its schedule is clustered: run several for failover. With
/// --urls it also serves the scheduler's dashboard at /jobs there (admin keys only), and nothing else.
/// </summary>
internal static class SchedulerCommand
{
    public static Command Create(PlatformOptions platform)
    {
        var config = new Option<string?>("--config") { Description = "Settings file (JSON object; default <data-dir>/lambda.json if present)." };
        var urls = new Option<string?>("--urls") { Description = "Serve the scheduler's dashboard at <url>/jobs (admin API keys only), e.g. http://127.0.0.1:8081 (default: none)." };
        var scheduler = new SchedulerSettings();
        var command = new Command("scheduler", "Run the scheduler alone: nightly recompute, hourly archive, speed retention.") { config, urls };
        scheduler.AddTo(command);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var dataDirectory = platform.DataDirectory(parsed);
            var settings = RunSettings.Load(parsed.GetValue(config), dataDirectory, [.. PlatformSettings.Keys, .. SchedulerSettings.Keys, "urls"]);
            settings.SetFlag(parsed, "urls", urls);
            var resources = PlatformSettings.Read(parsed, platform, settings, dataDirectory);
            var options = scheduler.Read(parsed, settings, resources);
            using var loggers = Logging.Create(parsed);
            JobScheduler.LogHangfireTo(loggers);
            // The embedded log is owned by the process running the speed layer; the archive only reads it.
            await using var log = await resources.OpenLogAsync(cancellationToken, readOnly: resources.Log == "embedded").ConfigureAwait(false);
            await using var store = await resources.OpenStoreAsync(cancellationToken).ConfigureAwait(false);
            await using var history = await resources.OpenHistoryAsync(cancellationToken).ConfigureAwait(false);
            var batch = new LambdaBatchOperations(log, store, dataDirectory, Lambda.SharedModel.Bots.BotRules.Default,
                SchedulerSettings.ReadBatchThreads(settings), loggers);
            await using var jobs = new JobScheduler(options, batch, store, history, loggers);
            var listen = settings.GetString("urls", null)?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
            await using var keys = listen.Length > 0 ? await resources.OpenKeysAsync(cancellationToken).ConfigureAwait(false) : null;
            await using var dashboard = keys is null ? null : ServingHost.CreateOperatorApp(listen, keys, store, [JobsDashboard.Page(jobs)]);
            await jobs.StartAsync(cancellationToken).ConfigureAwait(false);
            await (dashboard?.StartAsync(cancellationToken) ?? Task.CompletedTask).ConfigureAwait(false);
            var where = dashboard is null ? "" : $", dashboard on {string.Join(", ", listen.Select(u => u.TrimEnd('/') + JobsDashboard.Path))}";
            await parsed.InvocationConfiguration.Output.WriteLineAsync(
                $"scheduler {options.InstanceId} running on the {options.Store} schedule{where}; Ctrl-C to stop").ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stop below: running jobs end first.
            }

            await jobs.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await (dashboard?.StopAsync(CancellationToken.None) ?? Task.CompletedTask).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}

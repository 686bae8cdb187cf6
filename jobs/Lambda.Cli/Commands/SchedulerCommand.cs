using System.CommandLine;
using Lambda.Cli.CommandLine;
using Lambda.Cli.Hosting;
using Lambda.Jobs;

namespace Lambda.Cli.Commands;

/// <summary>
/// `lambda scheduler`: only the scheduler, for the distributed mode (beside `lambda speed` and
/// `lambda serve`). With --store postgres its schedule is clustered: run several for failover.
/// </summary>
internal static class SchedulerCommand
{
    public static Command Create(PlatformOptions platform)
    {
        var config = new Option<string?>("--config") { Description = "Settings file (JSON object; default <data-dir>/lambda.json if present)." };
        var scheduler = new SchedulerSettings();
        var command = new Command("scheduler", "Run the scheduler alone: nightly recompute, hourly archive, speed retention.") { config };
        scheduler.AddTo(command);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var dataDirectory = platform.DataDirectory(parsed);
            var settings = RunSettings.Load(parsed.GetValue(config), dataDirectory, [.. PlatformSettings.Keys, .. SchedulerSettings.Keys]);
            var resources = PlatformSettings.Read(parsed, platform, settings, dataDirectory);
            var options = scheduler.Read(parsed, settings, resources);
            using var loggers = Logging.Create(parsed);
            // The embedded log is owned by the process running the speed layer; the archive only reads it.
            await using var log = await resources.OpenLogAsync(cancellationToken, readOnly: resources.Log == "embedded").ConfigureAwait(false);
            await using var store = await resources.OpenStoreAsync(cancellationToken).ConfigureAwait(false);
            await using var history = await resources.OpenHistoryAsync(cancellationToken).ConfigureAwait(false);
            var batch = new LambdaBatchOperations(log, store, dataDirectory, Lambda.SharedModel.Bots.BotRules.Default,
                SchedulerSettings.ReadBatchThreads(settings), loggers);
            await using var jobs = new JobScheduler(options, batch, store, history, loggers);
            await jobs.StartAsync(cancellationToken).ConfigureAwait(false);
            await parsed.InvocationConfiguration.Output.WriteLineAsync(
                $"scheduler {options.InstanceId} running on the {options.Store} schedule; Ctrl-C to stop").ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stop below: running jobs end first.
            }

            await jobs.StopAsync(CancellationToken.None).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}

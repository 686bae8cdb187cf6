using System.CommandLine;
using Lambda.Cli.CommandLine;
using Lambda.Cli.Hosting;
using Lambda.SharedModel.Bots;
using Lambda.Speed;

namespace Lambda.Cli.Commands;

/// <summary>`lambda speed`: runs the speed layer until Ctrl-C or SIGTERM, then stops cleanly.</summary>
internal static class SpeedCommand
{
    public static Command Create(PlatformOptions platform)
    {
        var options = new SpeedCommandOptions();
        var retentionOptions = new LogRetentionOptions();
        var command = new Command("speed", "Run the speed layer: the continuous pipeline from the log to real-time views.");
        options.AddTo(command);
        retentionOptions.AddTo(command);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            ThreadPoolFloor.Raise();
            var speedOptions = options.Read(parsed, platform.DataDirectory(parsed));
            var bots = options.LoadBotRules(parsed);
            using var loggers = Logging.Create(parsed);
            var settings = RunSettings.FromEnvironment(LogRetentionSettings.Keys);
            retentionOptions.SetFlags(parsed, settings);
            var retention = LogRetentionSettings.Read(settings, parsed.GetValue(platform.LogKind)!);
            if (retention.Guards == LogRetentionSettings.DefaultGuards && speedOptions.ConsumerGroup != LogRetentionSettings.DefaultGuards[0])
            {
                retention = retention with { Guards = [speedOptions.ConsumerGroup, .. LogRetentionSettings.DefaultGuards.Skip(1)] };
            }

            await using var log = await platform.OpenLogAsync(parsed, cancellationToken, configure: retention.Apply).ConfigureAwait(false);
            await using var store = await platform.OpenStoreAsync(parsed, cancellationToken).ConfigureAwait(false);
            var speed = new SpeedLayer(log, store, bots, speedOptions, loggers, TimeProvider.System);
            await speed.RunAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}

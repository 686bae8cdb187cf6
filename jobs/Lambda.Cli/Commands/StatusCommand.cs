using System.CommandLine;
using System.Globalization;
using Lambda.Cli.CommandLine;
using Lambda.SharedModel.Time;
using Lambda.SharedModel.Views;

namespace Lambda.Cli.Commands;

/// <summary>`lambda status`: per partition, the speed layer's lag, watermark, rate and counters.</summary>
internal static class StatusCommand
{
    public static Command Create(PlatformOptions platform)
    {
        var staleAfter = new Option<TimeSpan>("--stale-after")
        {
            Description = "A partition whose last report is older than this is shown as STALE: its worker stopped or hangs (default 00:00:30).",
            DefaultValueFactory = _ => SpeedPartitionStatus.DefaultStaleAfter,
        };
        staleAfter.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<TimeSpan>() <= TimeSpan.Zero)
            {
                r.AddError("--stale-after must be positive");
            }
        });
        var command = new Command("status", "Show the speed layer's status per partition: lag, watermark, events/s and counters.") { staleAfter };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using var store = await platform.OpenStoreAsync(parsed, cancellationToken).ConfigureAwait(false);
            var statuses = await store.ListPartitionStatusAsync(cancellationToken).ConfigureAwait(false);
            var output = parsed.InvocationConfiguration.Output;
            if (statuses.Count == 0)
            {
                await output.WriteLineAsync("no speed layer has reported yet (start one with 'lambda speed' or 'lambda run')").ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            await output.WriteLineAsync(
                $"{"partition",9} {"lag",10} {"watermark",-20} {"events/s",10} {"processed",12} {"late",8} {"unattrib",8} {"dupes",8} {"bots",8} {"dead",6} {"owner",6} {"future",6}  updated").ConfigureAwait(false);
            var now = TimeProvider.System.GetUtcNow();
            foreach (var s in statuses)
            {
                var who = s.IsStale(now, parsed.GetValue(staleAfter))
                    ? $"STALE: no report for {Age(now - s.UpdatedAt)}, last from {s.Owner}; its speed layer stopped or hangs"
                    : s.Owner;
                var watermark = s.WatermarkMs == long.MinValue ? "-" : IsoTimestamp.Format(s.WatermarkMs);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{s.Partition,9} {s.Lag,10} {watermark,-20} {s.EventsPerSecond,10:F0} {s.Processed,12} {s.Late,8} {s.Unattributed,8} {s.Duplicates,8} {s.BotFiltered,8} {s.DeadLettered,6} {s.OwnerMismatched,6} {s.FutureDated,6}  {s.UpdatedAt:yyyy-MM-ddTHH:mm:ssZ} ({who})")).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Age(TimeSpan age) =>
        age.TotalHours >= 1 ? $"{(int)age.TotalHours}h{age.Minutes:00}m" : age.TotalMinutes >= 1 ? $"{(int)age.TotalMinutes}m{age.Seconds:00}s" : $"{age.Seconds}s";
}

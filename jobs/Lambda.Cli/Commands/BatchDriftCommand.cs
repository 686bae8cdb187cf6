using System.CommandLine;
using System.Globalization;
using Lambda.Batch.Drift;
using Lambda.Batch.Recompute;
using Lambda.Cli.CommandLine;

namespace Lambda.Cli.Commands;

/// <summary>`lambda batch drift [--version N]`: how far the speed layer was from a version's exact rows, per campaign and day.</summary>
internal static class BatchDriftCommand
{
    public static Command Create(PlatformOptions platform)
    {
        var version = BatchCommand.VersionOption("The version whose drift report to show (default: the current version).");
        var command = new Command("drift", "Show the speed layer's drift from the exact batch rows, per campaign and day.");
        command.Options.Add(version);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var paths = new BatchPaths(platform.DataDirectory(parsed));
            var id = parsed.GetValue(version);
            if (id is null)
            {
                await using var store = await platform.OpenStoreAsync(parsed, cancellationToken).ConfigureAwait(false);
                id = (await store.GetCurrentBatchVersionAsync(cancellationToken).ConfigureAwait(false))?.VersionId
                    ?? throw new UsageException("there is no current batch version: give --version");
            }

            var report = DriftReports.Read(paths, id.Value)
                ?? throw new UsageException($"version {id} has no drift report ({paths.DriftFile(id.Value)})");
            var output = parsed.InvocationConfiguration.Output;
            await output.WriteLineAsync($"drift of version {report.VersionId} (W {BatchCommand.Iso(report.WatermarkMs)}), speed minus batch:").ConfigureAwait(false);
            await output.WriteLineAsync(
                $"{"campaign",-38} {"day",-10} {"rows",6} {"open",5} {"min≠",5} {"impr",8} {"views",7} {"clicks",7} {"spend",12} {"uniq est",9} {"exact",8} {"err%",7} {"late",6} {"dup s/b",11}").ConfigureAwait(false);
            foreach (var d in report.Days)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{d.CampaignId,-38} {d.Date:yyyy-MM-dd} {d.SpeedRows,6} {d.NonFinalSpeedRows,5} {d.MinutesDiffering,5} {d.Impressions.Difference,8} {d.Views.Difference,7} {d.Clicks.Difference,7} {d.SpendMicros.Difference,12} {d.SpeedUniquesEstimate,9} {d.ExactUniques,8} {d.UniquesRelativeError * 100,7:F2} {d.SpeedLate,6} {d.SpeedDuplicates + "/" + d.BatchDuplicates,11}")).ConfigureAwait(false);
            }

            foreach (var p in report.Partitions)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"partition {p.Partition}: late {p.Late}, unattributed {p.Unattributed}, duplicates {p.Duplicates}, bots {p.BotFiltered} (since the speed state began)")).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}

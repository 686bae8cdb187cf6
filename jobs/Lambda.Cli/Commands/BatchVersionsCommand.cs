using System.CommandLine;
using System.Globalization;
using Lambda.Batch.Recompute;
using Lambda.Cli.CommandLine;

namespace Lambda.Cli.Commands;

/// <summary>`lambda batch versions`: the kept batch view versions, newest first, the current one marked.</summary>
internal static class BatchVersionsCommand
{
    public static Command Create(PlatformOptions platform)
    {
        var command = new Command("versions", "List the batch view versions: id, watermark W, created, rows, state; * marks the current one.");
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using var store = await platform.OpenStoreAsync(parsed, cancellationToken).ConfigureAwait(false);
            var catalog = new BatchVersionCatalog(store, new BatchPaths(platform.DataDirectory(parsed)));
            var versions = await catalog.ListAsync(cancellationToken).ConfigureAwait(false);
            var output = parsed.InvocationConfiguration.Output;
            if (versions.Count == 0)
            {
                await output.WriteLineAsync("no batch version yet (make one with 'lambda batch recompute')").ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            await output.WriteLineAsync($"  {"id",6} {"W",-20} {"created",-20} {"rows",12} state").ConfigureAwait(false);
            foreach (var v in versions)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{(v.IsCurrent ? '*' : ' ')} {v.Info.VersionId,6} {BatchCommand.Iso(v.Info.WatermarkMs),-20} {v.Info.CreatedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} {v.Info.RowCount,12} {v.Info.State}")).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}

using System.CommandLine;
using Lambda.Batch.Recompute;
using Lambda.Cli.CommandLine;

namespace Lambda.Cli.Commands;

/// <summary>`lambda batch rollback [--version N]`: makes a kept older version current again.</summary>
internal static class BatchRollbackCommand
{
    public static Command Create(PlatformOptions platform)
    {
        var version = BatchCommand.VersionOption("The version to make current (default: the one before the current version).");
        var command = new Command("rollback", "Make an older kept batch version current again (an atomic flip).");
        command.Options.Add(version);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var paths = new BatchPaths(platform.DataDirectory(parsed));
            using var jobLock = paths.LockBatchJobs();
            await using var store = await platform.OpenStoreAsync(parsed, cancellationToken).ConfigureAwait(false);
            var target = await new BatchVersionCatalog(store, paths).RollbackAsync(parsed.GetValue(version), cancellationToken).ConfigureAwait(false);
            await parsed.InvocationConfiguration.Output.WriteLineAsync(
                $"version {target.VersionId} is current: W {BatchCommand.Iso(target.WatermarkMs)}").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}

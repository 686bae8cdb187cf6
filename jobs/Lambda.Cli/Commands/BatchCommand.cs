using System.CommandLine;
using System.Globalization;
using Lambda.Cli.CommandLine;

namespace Lambda.Cli.Commands;

/// <summary>`lambda batch`: the batch layer's exact views: recompute, versions, rollback, drift.</summary>
internal static class BatchCommand
{
    public static Command Create(PlatformOptions platform)
    {
        var command = new Command("batch", "The batch layer: recompute exact views from the master dataset, list and roll back versions, show drift.");
        command.Subcommands.Add(BatchRecomputeCommand.Create(platform));
        command.Subcommands.Add(BatchVersionsCommand.Create(platform));
        command.Subcommands.Add(BatchRollbackCommand.Create(platform));
        command.Subcommands.Add(BatchDriftCommand.Create(platform));
        return command;
    }

    /// <summary>Epoch ms as ISO-8601 UTC.</summary>
    public static string Iso(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>A --version value: a positive version id.</summary>
    public static Option<long?> VersionOption(string description)
    {
        var option = new Option<long?>("--version") { Description = description };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<long?>() is <= 0)
            {
                result.AddError("--version must be a positive version id");
            }
        });
        return option;
    }
}

using System.CommandLine;
using System.Globalization;
using Lambda.Batch.Recompute;
using Lambda.Cli.CommandLine;
using Microsoft.Extensions.Logging;

namespace Lambda.Cli.Commands;

/// <summary>`lambda batch recompute [--date YYYY-MM-DD | --full]`: a new exact batch view version.</summary>
internal static class BatchRecomputeCommand
{
    public static Command Create(PlatformOptions platform)
    {
        var date = new Option<string?>("--date") { Description = "Also recompute this UTC date (YYYY-MM-DD), besides the dates new data made dirty." };
        var full = new Option<bool>("--full") { Description = "Recompute every complete date from the master dataset." };
        var recompute = new RecomputeCommandOptions();
        var command = new Command("recompute", "Recompute the exact views into a new batch version, validate it and make it current.");
        foreach (var option in new Option[] { date, full }.Concat(recompute.All))
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parsed, cancellationToken) =>
        {
            var dates = ParseDate(parsed.GetValue(date), parsed.GetValue(full));
            var options = recompute.Build(platform, parsed);
            using var loggers = Logging.Create(parsed);
            await using var store = await platform.OpenStoreAsync(parsed, cancellationToken).ConfigureAwait(false);
            var recomputer = new BatchRecomputer(store, options, loggers.CreateLogger("Lambda.Batch"));
            var result = await JobProgress.RunAsync<string, RecomputeResult>("recompute", parsed.InvocationConfiguration.Output,
                stage => new ProgressStep(null, stage),
                stages => recomputer.RunAsync(new RecomputeRequest(parsed.GetValue(full), dates), cancellationToken, stages)).ConfigureAwait(false);
            return await ReportAsync(parsed, result).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Prints a recompute's outcome; returns the exit code (a validation failure is 1).</summary>
    public static async Task<int> ReportAsync(ParseResult parsed, RecomputeResult result)
    {
        var output = parsed.InvocationConfiguration.Output;
        switch (result.Outcome)
        {
            case RecomputeOutcome.NothingToDo:
                await output.WriteLineAsync("nothing to recompute: no day of the master dataset is complete yet").ConfigureAwait(false);
                return ExitCodes.Ok;
            case RecomputeOutcome.ValidationFailed:
                await parsed.InvocationConfiguration.Error.WriteLineAsync(
                    $"error: version {result.VersionId} failed validation; the current version is unchanged:").ConfigureAwait(false);
                foreach (var problem in result.Problems)
                {
                    await parsed.InvocationConfiguration.Error.WriteLineAsync("  " + problem).ConfigureAwait(false);
                }

                return ExitCodes.Failed;
            default:
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"version {result.VersionId} is current: W {BatchCommand.Iso(result.WatermarkMs!.Value)}, {result.Rows} rows; recomputed {Dates(result.RecomputedDates)}; copied {Dates(result.CopiedDates)} from version {result.BaseVersionId?.ToString(CultureInfo.InvariantCulture) ?? "-"}")).ConfigureAwait(false);
                return ExitCodes.Ok;
        }
    }

    private static List<DateOnly>? ParseDate(string? text, bool full)
    {
        if (text is null)
        {
            return null;
        }

        if (full)
        {
            throw new UsageException("--date and --full cannot be combined: --full recomputes every date");
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? [date]
            : throw new UsageException($"--date '{text}' is not a date: expected YYYY-MM-DD");
    }

    private static string Dates(IReadOnlyList<DateOnly> dates) => dates.Count switch
    {
        0 => "no dates",
        <= 4 => string.Join(", ", dates.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))),
        _ => string.Create(CultureInfo.InvariantCulture, $"{dates.Count} dates ({dates[0]:yyyy-MM-dd} .. {dates[^1]:yyyy-MM-dd})"),
    };
}

using System.CommandLine;
using System.Globalization;
using Lambda.Batch.Archive;
using Lambda.Batch.Backfill;
using Lambda.Batch.Master;
using Lambda.Batch.Recompute;
using Lambda.Cli.CommandLine;
using Microsoft.Extensions.Logging;

namespace Lambda.Cli.Commands;

/// <summary>
/// `lambda backfill [--from DATE --to DATE]`: rebuilds the master dataset from offset 0 of the log (or only
/// the given event dates), resumable after a crash, swaps it in, then recomputes the batch views (an
/// incremental run: the backfill's manifest run marks the dates it rebuilt as dirty).
/// </summary>
internal static class BackfillCommand
{
    public static Command Create(PlatformOptions platform)
    {
        var from = new Option<string?>("--from") { Description = "First event date to rebuild, YYYY-MM-DD (UTC); with --to." };
        var to = new Option<string?>("--to") { Description = "Last event date to rebuild, YYYY-MM-DD (UTC, inclusive); with --from." };
        var parallelism = new Option<int>("--parallelism") { Description = "Partitions rebuilt at once (default: the core count).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var chunk = ArchiveCommand.ChunkOption();
        var recompute = new RecomputeCommandOptions();
        var command = new Command("backfill", "Rebuild the master dataset from the log (all of it, or the dates --from..--to), resumable, swap it in, then recompute the batch views.")
        {
            from, to, parallelism, chunk,
        };
        foreach (var option in recompute.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parsed, cancellationToken) =>
        {
            var range = Range(parsed.GetValue(from), parsed.GetValue(to));
            var options = new BackfillOptions
            {
                Archive = new ArchiveOptions
                {
                    MasterRoot = ArchiveCommand.MasterRoot(platform, parsed),
                    MaxParallelism = ArchiveCommand.Parallelism(parsed.GetValue(parallelism)),
                    ChunkRecords = ArchiveCommand.ChunkRecords(parsed.GetValue(chunk)),
                },
                Dates = range,
            };
            var recomputeOptions = recompute.Build(platform, parsed);
            using var loggers = Logging.Create(parsed);
            await using var store = await platform.OpenStoreAsync(parsed, cancellationToken).ConfigureAwait(false);
            var recomputer = new RecomputeAfterBackfill(new BatchRecomputer(store, recomputeOptions, loggers.CreateLogger("Lambda.Batch")));
            await using var log = await platform.OpenLogAsync(parsed, cancellationToken, readOnly: true).ConfigureAwait(false);
            var output = parsed.InvocationConfiguration.Output;
            var result = await JobProgress.RunAsync("backfill", output,
                progress => new BackfillJob(log, options, recomputer, loggers.CreateLogger("Lambda.Batch.Backfill")).RunAsync(progress, cancellationToken)).ConfigureAwait(false);
            if (result.Rebuild is { } rebuild)
            {
                await ArchiveCommand.WriteSummaryAsync(output, rebuild).ConfigureAwait(false);
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"backfill run {result.Run} ({range?.ToString() ?? "all dates"}): replaced {result.DatesReplaced.Count} dates in {result.Duration.TotalSeconds:F2} s")).ConfigureAwait(false);
            return recomputer.Result is { } recomputed
                ? await BatchRecomputeCommand.ReportAsync(parsed, recomputed).ConfigureAwait(false)
                : ExitCodes.Ok;
        });
        return command;
    }

    private static EventDateRange? Range(string? from, string? to)
    {
        if (from is null && to is null)
        {
            return null;
        }

        if (from is null || to is null)
        {
            throw new UsageException(from is null ? "--to needs --from" : "--from needs --to");
        }

        var first = ParseDate(from, "--from");
        var last = ParseDate(to, "--to");
        return last < first
            ? throw new UsageException($"--to ({to}) must not be before --from ({from})")
            : new EventDateRange(first, last);
    }

    private static DateOnly ParseDate(string text, string option) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new UsageException($"{option} must be a date YYYY-MM-DD (was '{text}')");
}

using System.CommandLine;
using System.Globalization;
using Lambda.Batch.Archive;
using Lambda.Cli.CommandLine;

namespace Lambda.Cli.Commands;

/// <summary>`lambda archive`: appends everything new in the log to the master dataset (Parquet) and says what it wrote.</summary>
internal static class ArchiveCommand
{
    public static Command Create(PlatformOptions platform)
    {
        var parallelism = new Option<int>("--parallelism") { Description = "Partitions archived at once (default: the core count).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var chunk = ChunkOption();
        var skew = new Option<TimeSpan>("--max-future-skew") { Description = "Leave out records whose event time lies further ahead of their log time (default 00:05:00; as the speed layer's).", DefaultValueFactory = _ => new ArchiveOptions().MaxFutureSkew };
        var command = new Command("archive", "Archive new log records into the master dataset (<data-dir>/master, Parquet by event date).") { parallelism, chunk, skew };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var options = new ArchiveOptions { MasterRoot = MasterRoot(platform, parsed), MaxParallelism = Parallelism(parsed.GetValue(parallelism)), ChunkRecords = ChunkRecords(parsed.GetValue(chunk)), MaxFutureSkew = Skew(parsed.GetValue(skew)) };
            // Read-only: the archive may run beside the process that owns the embedded log.
            await using var log = await platform.OpenLogAsync(parsed, cancellationToken, readOnly: true).ConfigureAwait(false);
            var output = parsed.InvocationConfiguration.Output;
            var result = await JobProgress.RunAsync("archive", output,
                progress => new ArchiveJob(log, options).RunAsync(progress, cancellationToken)).ConfigureAwait(false);
            await WriteSummaryAsync(output, result).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static string MasterRoot(PlatformOptions platform, ParseResult parsed) => Path.Combine(platform.DataDirectory(parsed), "master");

    internal static Option<int> ChunkOption() => new("--chunk-records")
    {
        Description = "Log offsets per chunk (default 1000000): one file per chunk and event date; bounds memory.",
        DefaultValueFactory = _ => 1_000_000,
    };

    internal static int ChunkRecords(int value) =>
        value >= 1 ? value : throw new UsageException($"--chunk-records must be at least 1 (was {value})");

    internal static TimeSpan Skew(TimeSpan value) =>
        value >= TimeSpan.Zero ? value : throw new UsageException($"--max-future-skew must not be negative (was {value})");

    internal static int Parallelism(int value) =>
        value >= 1 ? value : throw new UsageException($"--parallelism must be at least 1 (was {value})");

    internal static async Task WriteSummaryAsync(TextWriter output, ArchiveResult result)
    {
        if (result.OrphansDeleted > 0)
        {
            await output.WriteLineAsync($"deleted {result.OrphansDeleted} uncommitted files left by an interrupted run").ConfigureAwait(false);
        }

        if (result.Run is null)
        {
            await output.WriteLineAsync("nothing new to archive").ConfigureAwait(false);
            return;
        }

        await output.WriteLineAsync($"{"topic",-12} {"records",12} {"invalid",9} {"files",7} {"bytes",14}").ConfigureAwait(false);
        foreach (var t in result.Topics)
        {
            await output.WriteLineAsync($"{t.Topic,-12} {t.Records,12} {t.InvalidSkipped,9} {t.Files,7} {t.Bytes,14}").ConfigureAwait(false);
        }

        await output.WriteLineAsync($"{"total",-12} {result.Records,12} {result.InvalidSkipped,9} {result.Files,7} {result.Bytes,14}").ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"run {result.Run}: {result.RecordsRead} log records in {result.Duration.TotalSeconds:F2} s ({result.EventsPerSecond:F0} events/s), {result.InvalidSkipped} invalid skipped, {result.Dates.Count} dates")).ConfigureAwait(false);
    }
}

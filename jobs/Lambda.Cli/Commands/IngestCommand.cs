using System.CommandLine;
using System.Globalization;
using Lambda.Cli.CommandLine;
using Lambda.Cli.Hosting;
using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Ingestion;

namespace Lambda.Cli.Commands;

/// <summary>
/// `lambda ingest [FILE|-] [--topic T]`: appends JSON Lines to the log. Valid lines go to their
/// topic; every bad line goes to dead-letters with its bytes, source, line number and reason. The
/// records carry no request id: a file's source and line already name each of its dead letters, and
/// an id on every line of a bulk load would add some 55 bytes to each record (11-16 % of a generated event).
/// </summary>
internal static class IngestCommand
{
    private const int FlushEvery = 50_000;
    private const long Mebibyte = 1 << 20;

    public static Command Create(PlatformOptions platform)
    {
        var input = new Argument<string>("file")
        {
            Description = "JSON Lines file to ingest, or - for standard input.",
            DefaultValueFactory = _ => "-",
        };
        var topic = new Option<string?>("--topic", "-t")
        {
            Description = "Send every line to this topic instead of routing by each line's \"type\" field (served, view, click).",
        };
        topic.AcceptOnlyFromAmong([.. Topics.EventTopics]);

        var retentionOptions = new LogRetentionOptions();
        var command = new Command("ingest", "Append JSON Lines (a file or stdin) to the event log.") { input, topic };
        retentionOptions.AddTo(command);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var path = parsed.GetValue(input)!;
            if (path != "-" && !File.Exists(path))
            {
                throw new UsageException($"file '{path}' does not exist");
            }

            var settings = RunSettings.FromEnvironment(LogRetentionSettings.Keys);
            retentionOptions.SetFlags(parsed, settings);
            var retention = LogRetentionSettings.Read(settings, parsed.GetValue(platform.LogKind)!);
            await using var log = await platform.OpenLogAsync(parsed, cancellationToken, configure: retention.Apply).ConfigureAwait(false);
            await using var producer = log.CreateProducer();
            var ingestor = new EventIngestor(producer, TimeProvider.System, parsed.GetValue(topic));
            var source = path == "-" ? "stdin" : Path.GetFullPath(path);
            if (path == "-")
            {
                await using var stdin = Console.OpenStandardInput();
                Ingest(stdin, ingestor, source, progress: null, cancellationToken);
            }
            else
            {
                await using var file = File.OpenRead(path);
                var length = file.Length;
                await JobProgress.RunAsync<long, long>("ingest", parsed.InvocationConfiguration.Output,
                    read => new ProgressStep(length == 0 ? 1 : (double)read / length,
                        string.Create(CultureInfo.InvariantCulture, $"{read / Mebibyte:N0} / {length / Mebibyte:N0} MiB ({(length == 0 ? 1 : (double)read / length):P0})")),
                    progress => Task.FromResult(Ingest(file, ingestor, source, progress, cancellationToken))).ConfigureAwait(false);
            }

            await ingestor.FlushAsync(cancellationToken).ConfigureAwait(false);
            await PrintSummaryAsync(parsed.InvocationConfiguration.Output, ingestor.Summary).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Ingests every line; reports the bytes read (the stream's position) at each flush. Returns the lines read.</summary>
    private static long Ingest(Stream stream, EventIngestor ingestor, string source, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        using var lines = new LineReader(stream);
        long number = 0;
        while (lines.TryReadLine(out var line))
        {
            number++;
            if (line.IsEmpty)
            {
                continue;
            }

            ingestor.Ingest(line, source, number);
            if (number % FlushEvery == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ingestor.FlushAsync(cancellationToken).AsTask().GetAwaiter().GetResult();
                progress?.Report(stream.Position);
            }
        }

        return number;
    }

    private static async Task PrintSummaryAsync(TextWriter output, IngestSummary summary)
    {
        await output.WriteLineAsync($"accepted {summary.Accepted}, rejected {summary.Rejected}").ConfigureAwait(false);
        foreach (var (topicName, count) in summary.AcceptedByTopic.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            await output.WriteLineAsync($"  accepted {topicName}: {count}").ConfigureAwait(false);
        }

        foreach (var (reason, count) in summary.RejectedByReason.OrderBy(p => p.Key))
        {
            await output.WriteLineAsync($"  rejected {reason.Code()}: {count}").ConfigureAwait(false);
        }
    }
}

using System.CommandLine;
using Lambda.Cli.CommandLine;
using Lambda.SharedModel.Log;

namespace Lambda.Cli.Commands;

/// <summary>`lambda topics`: every topic with its partitions, start and end offsets.</summary>
internal static class TopicsCommand
{
    public static Command Create(PlatformOptions platform)
    {
        var command = new Command("topics", "List topics, their partitions and end offsets.");
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using var log = await platform.OpenLogAsync(parsed, cancellationToken).ConfigureAwait(false);
            var output = parsed.InvocationConfiguration.Output;
            await output.WriteLineAsync($"{"topic",-14} {"partition",9} {"start",14} {"end",14}").ConfigureAwait(false);
            foreach (var topic in (await log.ListTopicsAsync(cancellationToken).ConfigureAwait(false)).OrderBy(t => t.Name, StringComparer.Ordinal))
            {
                long total = 0;
                for (var p = 0; p < topic.Partitions; p++)
                {
                    var offsets = await log.GetOffsetsAsync(new TopicPartition(topic.Name, p), cancellationToken).ConfigureAwait(false);
                    total += offsets.End - offsets.Start;
                    await output.WriteLineAsync($"{topic.Name,-14} {p,9} {offsets.Start,14} {offsets.End,14}").ConfigureAwait(false);
                }

                await output.WriteLineAsync($"{topic.Name,-14} {"all",9} {"",14} {total,14}").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}

using System.CommandLine;
using Lambda.Cli.CommandLine;
using Lambda.Log.Kafka;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Time;

namespace Lambda.Cli.Commands;

/// <summary>
/// `lambda topics`: every topic with its partitions, start and end offsets; on Kafka first each topic's
/// replication and retention. On Kafka it only reads: a missing topic is not created (an embedded log
/// opened for writing creates its topics, so a fresh data directory lists them empty).
/// </summary>
internal static class TopicsCommand
{
    public static Command Create(PlatformOptions platform)
    {
        var command = new Command("topics", "List topics, their partitions and end offsets (on Kafka also replicas, in-sync replicas and retention).");
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var kafka = platform.IsKafka(parsed);
            await using var log = await platform.OpenLogAsync(parsed, cancellationToken, createTopics: !kafka).ConfigureAwait(false);
            var output = parsed.InvocationConfiguration.Output;
            if (log is KafkaEventLog kafkaLog)
            {
                WriteReplication(await kafkaLog.DescribeTopicsAsync(cancellationToken).ConfigureAwait(false), output);
            }

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

    // In-sync is the fewest of any partition, beside the replicas each has; "under" counts partitions short of replicas.
    // "?" where the settings were not read (--kafka-check-configs false).
    private static void WriteReplication(IReadOnlyList<KafkaTopicState> topics, TextWriter output)
    {
        output.WriteLine($"{"topic",-14} {"partitions",10} {"replicas",8} {"in-sync",7} {"under",5} {"min-isr",7} {"retention",12} {"retention-bytes",15}");
        foreach (var t in topics)
        {
            output.WriteLine($"{t.Name,-14} {t.Partitions,10} {t.Replicas,8} {t.FewestInSync,7} {t.UnderReplicated,5} {t.MinInSyncReplicas ?? "?",7} "
                + $"{Retention(t.RetentionMs),12} {Unlimited(t.RetentionBytes),15}");
        }

        output.WriteLine();
    }

    private static string Retention(string? ms) => ms switch
    {
        null => "?",
        "-1" => "unlimited",
        _ when long.TryParse(ms, out var n) => TimeSpan.FromMilliseconds(n).ToString(n % Granularities.DayMs == 0 ? "%d'd'" : "c", System.Globalization.CultureInfo.InvariantCulture),
        _ => ms,
    };

    private static string Unlimited(string? value) => value switch
    {
        null => "?",
        "-1" => "unlimited",
        _ => value,
    };
}

using System.CommandLine;
using Lambda.Cli.CommandLine;
using Lambda.SharedModel.Log;

namespace Lambda.Cli.Commands;

/// <summary>`lambda tail TOPIC`: prints records of every partition of a topic (or of one) from an offset.</summary>
internal static class TailCommand
{
    public static Command Create(PlatformOptions platform)
    {
        var topic = new Argument<string>("topic") { Description = "Topic to read, e.g. ad-views or dead-letters." };
        var partition = new Option<int?>("--partition", "-p") { Description = "Only this partition (default: every partition, each record labelled partition:offset)." };
        var from = new Option<long>("--from") { Description = "First offset to print (default 0).", DefaultValueFactory = _ => 0 };
        var limit = new Option<int>("--limit", "-n") { Description = "Most records to print (default 20).", DefaultValueFactory = _ => 20 };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep waiting for new records until Ctrl-C." };
        partition.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() < 0)
            {
                r.AddError("--partition must be 0 or more");
            }
        });
        from.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<long>() < 0)
            {
                r.AddError("--from must be 0 or more");
            }
        });
        limit.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--limit must be at least 1");
            }
        });

        var command = new Command("tail", "Print records of a topic from an offset: every partition, or the one --partition names.") { topic, partition, from, limit, follow };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using var log = await platform.OpenLogAsync(parsed, cancellationToken, readOnly: true).ConfigureAwait(false);
            var name = parsed.GetValue(topic)!;
            var topics = await log.ListTopicsAsync(cancellationToken).ConfigureAwait(false);
            var description = topics.FirstOrDefault(t => t.Name == name);
            if (description.Name is null)
            {
                throw new UsageException($"topic '{name}' does not exist (known: {string.Join(", ", topics.Select(t => t.Name))})");
            }

            var only = parsed.GetValue(partition);
            if (only >= description.Partitions)
            {
                throw new UsageException($"--partition {only} is out of range: '{name}' has {description.Partitions} partitions");
            }

            int[] partitions = only is { } p ? [p] : [.. Enumerable.Range(0, description.Partitions)];
            var tail = new PartitionTails(log, parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error);
            await tail.RunAsync([.. partitions.Select(p => new TopicPartition(name, p))], parsed.GetValue(from), parsed.GetValue(limit),
                parsed.GetValue(follow), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}

using System.CommandLine;
using System.Text;
using Lambda.Cli.CommandLine;
using Lambda.SharedModel.Log;

namespace Lambda.Cli.Commands;

/// <summary>`lambda tail TOPIC`: prints records of one partition from an offset.</summary>
internal static class TailCommand
{
    public static Command Create(PlatformOptions platform)
    {
        var topic = new Argument<string>("topic") { Description = "Topic to read, e.g. ad-views or dead-letters." };
        var partition = new Option<int>("--partition", "-p") { Description = "Partition to read.", DefaultValueFactory = _ => 0 };
        var from = new Option<long>("--from") { Description = "First offset to print (default 0).", DefaultValueFactory = _ => 0 };
        var limit = new Option<int>("--limit", "-n") { Description = "Most records to print (default 20).", DefaultValueFactory = _ => 20 };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep waiting for new records until Ctrl-C." };
        partition.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0)
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

        var command = new Command("tail", "Print records of a topic partition from an offset.") { topic, partition, from, limit, follow };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using var log = await platform.OpenLogAsync(parsed, cancellationToken, readOnly: true).ConfigureAwait(false);
            var tp = new TopicPartition(parsed.GetValue(topic)!, parsed.GetValue(partition));
            var topics = await log.ListTopicsAsync(cancellationToken).ConfigureAwait(false);
            var description = topics.FirstOrDefault(t => t.Name == tp.Topic);
            if (description.Name is null)
            {
                throw new UsageException($"topic '{tp.Topic}' does not exist (known: {string.Join(", ", topics.Select(t => t.Name))})");
            }

            if (tp.Partition >= description.Partitions)
            {
                throw new UsageException($"--partition {tp.Partition} is out of range: '{tp.Topic}' has {description.Partitions} partitions");
            }

            var output = parsed.InvocationConfiguration.Output;
            var offset = Math.Max(parsed.GetValue(from), (await log.GetOffsetsAsync(tp, cancellationToken).ConfigureAwait(false)).Start);
            var remaining = parsed.GetValue(limit);
            var keepFollowing = parsed.GetValue(follow);
            using var reader = log.CreateReader();
            var batch = new RecordBatch(256, 64 * 1024);
            while (remaining > 0 && !cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await reader.ReadAsync(tp, offset, batch, Math.Min(remaining, 1000),
                        keepFollowing ? TimeSpan.FromSeconds(1) : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
                }
                catch (ArgumentOutOfRangeException)
                {
                    // The owner's log retention deleted records before this tail reached them: go on from the new start.
                    var start = (await log.GetOffsetsAsync(tp, cancellationToken).ConfigureAwait(false)).Start;
                    if (start <= offset)
                    {
                        throw;
                    }

                    await parsed.InvocationConfiguration.Error.WriteLineAsync($"{tp.Partition}:{offset}..{start - 1} deleted by the log's retention; going on at {start}").ConfigureAwait(false);
                    offset = start;
                    continue;
                }

                if (batch.Count == 0 && !keepFollowing)
                {
                    break;
                }

                for (var i = 0; i < batch.Count; i++)
                {
                    var record = batch[i];
                    var time = DateTimeOffset.FromUnixTimeMilliseconds(record.TimestampMs).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
                    await output.WriteLineAsync($"{tp.Partition}:{record.Offset} {time} {Encoding.UTF8.GetString(record.Key)} {Encoding.UTF8.GetString(record.Value)}").ConfigureAwait(false);
                }

                remaining -= batch.Count;
                offset = batch.NextOffset;
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}

using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace Lambda.Log.Kafka;

/// <summary>
/// Checks an existing topic against the options (replication factor from metadata, topic configs
/// through DescribeConfigs): a topic whose settings differ is refused with every difference named,
/// never silently used, since its replication and retention decide whether the master record survives.
/// </summary>
internal sealed class KafkaTopicSettings(IAdminClient admin, KafkaLogOptions options)
{
    /// <summary>The topic's configs among those the log sets; empty when <see cref="KafkaLogOptions.CheckTopicConfigs"/> is off.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ReadAsync(string topic, CancellationToken cancellationToken)
    {
        if (!options.CheckTopicConfigs)
        {
            return new Dictionary<string, string>();
        }

        List<DescribeConfigsResult> results;
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                results = await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = topic }],
                        new DescribeConfigsOptions { RequestTimeout = options.RequestTimeout })
                    .WaitAsync(cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (DescribeConfigsException e) when (e.Results.Any(r => r.Error.Code == ErrorCode.UnknownTopicOrPart)
                && Stopwatch.GetElapsedTime(started) < options.RequestTimeout)
            {
                // A topic another process has just created is in the metadata of one broker before the
                // broker answering this request knows it: ask again shortly.
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
            }
            catch (KafkaException e)
            {
                throw new KafkaUnavailableException(options.BootstrapServers, options.RequestTimeout,
                    $"reading the settings of topic '{topic}': {e.Error.Reason}", e);
            }
        }

        var wanted = options.TopicConfigs();
        return results.Single().Entries
            .Where(e => wanted.ContainsKey(e.Key))
            .ToDictionary(e => e.Key, e => e.Value.Value, StringComparer.Ordinal);
    }

    /// <summary>Throws <see cref="InvalidOperationException"/> naming every setting of <paramref name="topic"/> that differs.</summary>
    public async Task CheckAsync(TopicMetadata topic, CancellationToken cancellationToken)
    {
        var differences = new List<string>();
        var replicas = topic.Partitions.Min(p => p.Replicas.Length);
        if (replicas != options.ReplicationFactor)
        {
            differences.Add($"replication factor {replicas}, not {options.ReplicationFactor}");
        }

        var actual = await ReadAsync(topic.Topic, cancellationToken).ConfigureAwait(false);
        foreach (var (key, value) in options.CheckTopicConfigs ? options.TopicConfigs() : new Dictionary<string, string>())
        {
            var has = actual.GetValueOrDefault(key, "(unset)");
            if (!string.Equals(has, value, StringComparison.Ordinal))
            {
                differences.Add($"{key}={has}, not {value}");
            }
        }

        if (differences.Count > 0)
        {
            throw new InvalidOperationException(
                $"topic '{topic.Topic}' exists with other settings than asked for: {string.Join("; ", differences)}; "
                + "change the topic (kafka-configs.sh, kafka-reassign-partitions.sh) or the options to match");
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Lambda.SharedModel.Log;
using KafkaTopicPartition = Confluent.Kafka.TopicPartition;
using TopicDescription = Lambda.SharedModel.Log.TopicDescription;
using TopicPartition = Lambda.SharedModel.Log.TopicPartition;

namespace Lambda.Log.Kafka;

/// <summary>
/// Topics of the cluster: creation through the admin API, partition counts from metadata (cached,
/// since a topic's count never changes here: repartitioning would break co-partitioning), and
/// watermark offsets. Shared by every producer and reader of one <see cref="KafkaEventLog"/>.
/// </summary>
internal sealed class KafkaTopicCatalog : IDisposable
{
    private static readonly TimeSpan MetadataPollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBrokerRegistrationGrace = TimeSpan.FromSeconds(10);

    private readonly IAdminClient _admin;
    private readonly KafkaWatermarks _watermarks;
    private readonly ConcurrentDictionary<string, int> _partitions = new(StringComparer.Ordinal);
    // Topics created here or checked against the options: CreateAsync needs no further round trip for them.
    private readonly ConcurrentDictionary<string, byte> _checked = new(StringComparer.Ordinal);
    private readonly KafkaLogOptions _options;
    private readonly KafkaTopicSettings _settings;
    private readonly TimeSpan _timeout;

    public KafkaTopicCatalog(KafkaClientConfigs configs, KafkaLogOptions options)
    {
        _options = options;
        _timeout = options.RequestTimeout;
        _admin = new AdminClientBuilder(configs.Admin()).SetLogHandler(configs.OnClientLog).Build();
        _settings = new KafkaTopicSettings(_admin, options);
        _watermarks = new KafkaWatermarks(configs, options);
    }

    /// <summary>The topic's partition count; asks the cluster on first use. Blocks on that first call.</summary>
    public int PartitionCount(string topic)
    {
        if (_partitions.TryGetValue(topic, out var count))
        {
            return count;
        }

        ArgumentException.ThrowIfNullOrEmpty(topic);
        Refresh();
        return _partitions.TryGetValue(topic, out count) ? count : throw new UnknownTopicException(topic);
    }

    /// <summary>The partition count if already known, without asking the cluster.</summary>
    public bool TryGetCachedPartitionCount(string topic, out int count) => _partitions.TryGetValue(topic, out count);

    /// <summary>Throws <see cref="UnknownTopicException"/> or <see cref="ArgumentOutOfRangeException"/>.</summary>
    public void CheckExists(TopicPartition topicPartition)
    {
        var count = PartitionCount(topicPartition.Topic);
        if ((uint)topicPartition.Partition >= (uint)count)
        {
            throw new ArgumentOutOfRangeException(nameof(topicPartition), topicPartition.Partition,
                $"{topicPartition}: topic '{topicPartition.Topic}' has {count} partitions");
        }
    }

    public IReadOnlyList<TopicDescription> List() =>
        [.. Visible(RefreshWithKnownTopics()).Select(t => new TopicDescription(t.Topic, t.Partitions.Count))];

    /// <summary>Every topic's replication and settings as the cluster has them now; creates nothing.</summary>
    public async Task<IReadOnlyList<KafkaTopicState>> DescribeAsync(CancellationToken cancellationToken)
    {
        var states = new List<KafkaTopicState>();
        foreach (var t in Visible(await Task.Run(RefreshWithKnownTopics, cancellationToken).ConfigureAwait(false)))
        {
            var configs = await _settings.ReadAsync(t.Topic, cancellationToken).ConfigureAwait(false);
            states.Add(new KafkaTopicState(t.Topic, t.Partitions.Count,
                t.Partitions.Min(p => p.Replicas.Length),
                t.Partitions.Min(p => p.InSyncReplicas.Length),
                t.Partitions.Count(p => p.InSyncReplicas.Length < p.Replicas.Length),
                configs.GetValueOrDefault("min.insync.replicas"), configs.GetValueOrDefault("retention.ms"),
                configs.GetValueOrDefault("retention.bytes")));
        }

        return states;
    }

    /// <summary>
    /// Creates the topic with the options' replication factor and settings, or checks an existing one
    /// against them (<see cref="KafkaTopicSettings"/>); returns once every partition has a leader.
    /// </summary>
    public async Task CreateAsync(string topic, int partitions, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        if (_checked.ContainsKey(topic))
        {
            ThrowIfCountDiffers(topic, _partitions[topic], partitions);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            // Ask the cluster first: a topic created by someone else needs no CreateTopics, which some
            // clusters refuse (librdkafka's mock cluster, ACLs on managed clusters); it is checked instead.
            var metadata = await Task.Run(RefreshAll, cancellationToken).ConfigureAwait(false);
            var existing = metadata.Topics.FirstOrDefault(t => t.Topic == topic && t.Error.Code == ErrorCode.NoError && t.Partitions.Count > 0);
            if (existing is not null)
            {
                ThrowIfCountDiffers(topic, existing.Partitions.Count, partitions);
                await _settings.CheckAsync(existing, cancellationToken).ConfigureAwait(false);
                _checked[topic] = 0;
                return;
            }

            var replicas = _options.ReplicationFactor;
            if (metadata.Brokers.Count < replicas)
            {
                // A cluster starting, or back from a restart, lists its brokers as they register, and a
                // broker just started may not know the topics yet: wait a little before calling it small.
                if (Stopwatch.GetElapsedTime(started) < BrokerRegistrationGrace())
                {
                    await Task.Delay(MetadataPollInterval, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                throw new InvalidOperationException(
                    $"topic '{topic}' needs {replicas} replicas but the cluster at {_options.BootstrapServers} has {metadata.Brokers.Count} broker(s); "
                    + $"ask for a replication factor of at most {metadata.Brokers.Count}");
            }

            var spec = new TopicSpecification
            {
                Name = topic,
                NumPartitions = partitions,
                ReplicationFactor = replicas,
                Configs = new Dictionary<string, string>(_options.TopicConfigs()),
            };
            try
            {
                await _admin.CreateTopicsAsync([spec], new CreateTopicsOptions { RequestTimeout = _timeout, OperationTimeout = _timeout })
                    .WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code is ErrorCode.TopicAlreadyExists))
            {
                // Another process created it meanwhile, or the answering broker's metadata lags the
                // controller's: check it like any existing topic once the metadata shows it.
                if (Stopwatch.GetElapsedTime(started) >= _timeout)
                {
                    throw new TimeoutException($"topic '{topic}' exists, says the controller, but no broker's metadata showed it within {_timeout}");
                }

                await Task.Delay(MetadataPollInterval, cancellationToken).ConfigureAwait(false);
                continue;
            }

            await WaitUntilReadyAsync(topic, partitions, cancellationToken).ConfigureAwait(false);
            _checked[topic] = 0;
            return;
        }
    }

    private TimeSpan BrokerRegistrationGrace() => _timeout < MaxBrokerRegistrationGrace ? _timeout : MaxBrokerRegistrationGrace;

    public PartitionOffsets Offsets(TopicPartition topicPartition)
    {
        CheckExists(topicPartition);
        var watermarks = _watermarks.Query(new KafkaTopicPartition(topicPartition.Topic, new Partition(topicPartition.Partition)));
        return new PartitionOffsets(topicPartition, watermarks.Low.Value, watermarks.High.Value);
    }

    public void Dispose()
    {
        _watermarks.Dispose();
        _admin.Dispose();
    }

    // A new topic shows in metadata, and its partitions get leaders, shortly after the controller
    // creates it; producing or assigning before that would only wait inside librdkafka instead.
    private async Task WaitUntilReadyAsync(string topic, int partitions, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var metadata = Refresh().FirstOrDefault(t => t.Topic == topic);
            if (metadata is not null && metadata.Error.Code == ErrorCode.NoError)
            {
                ThrowIfCountDiffers(topic, metadata.Partitions.Count, partitions);
                if (metadata.Partitions.All(p => p.Leader >= 0 && p.Error.Code == ErrorCode.NoError))
                {
                    return;
                }
            }

            if (Stopwatch.GetElapsedTime(started) >= _timeout)
            {
                throw new TimeoutException($"topic '{topic}' was created but has no leader for every partition after {_timeout}");
            }

            await Task.Delay(MetadataPollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private List<TopicMetadata> Refresh() => RefreshAll().Topics;

    // Metadata comes from whichever broker librdkafka asks, and a broker learns of a new topic a moment
    // after the controller: a listing right after CreateAsync could miss the topic just created. Topics
    // this catalog created or checked are known to exist, so a listing without them is asked again.
    private List<TopicMetadata> RefreshWithKnownTopics()
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var topics = Refresh();
            var listed = Visible(topics).Select(t => t.Topic).ToHashSet(StringComparer.Ordinal);
            var missing = _checked.Keys.Where(t => !listed.Contains(t)).ToList();
            if (missing.Count == 0)
            {
                return topics;
            }

            if (Stopwatch.GetElapsedTime(started) >= _timeout)
            {
                // Deleted behind our back after all: forget it, so later listings do not wait for it.
                missing.ForEach(t => _checked.TryRemove(t, out _));
                return topics;
            }

            Thread.Sleep(MetadataPollInterval);
        }
    }

    // All-topics metadata: asking for one named topic could auto-create it on brokers that allow that.
    private Metadata RefreshAll()
    {
        Metadata metadata;
        try
        {
            metadata = _admin.GetMetadata(_timeout);
        }
        catch (KafkaException e)
        {
            throw new KafkaUnavailableException(_options.BootstrapServers, _timeout, e.Error.Reason, e);
        }

        foreach (var t in metadata.Topics)
        {
            if (t.Error.Code == ErrorCode.NoError && t.Partitions.Count > 0)
            {
                _partitions[t.Topic] = t.Partitions.Count;
            }
        }

        return metadata;
    }

    private static IEnumerable<TopicMetadata> Visible(IEnumerable<TopicMetadata> topics) => topics
        .Where(t => t.Error.Code == ErrorCode.NoError && t.Partitions.Count > 0 && !IsInternal(t.Topic))
        .OrderBy(t => t.Topic, StringComparer.Ordinal);

    private static void ThrowIfCountDiffers(string topic, int existing, int requested)
    {
        if (existing != requested)
        {
            throw new InvalidOperationException(
                $"topic '{topic}' exists with {existing} partitions, not {requested}; repartitioning would move keys and break co-partitioning");
        }
    }

    private static bool IsInternal(string topic) => topic.StartsWith("__", StringComparison.Ordinal);
}

using System.Globalization;

namespace Lambda.Log.Kafka;

/// <summary>
/// Configuration of <see cref="KafkaEventLog"/>. Validated once, by <see cref="Validate"/>, when the
/// log is created; every error names the option at fault.
/// </summary>
public sealed class KafkaLogOptions
{
    /// <summary>
    /// librdkafka settings the log sets itself because its semantics depend on them; they cannot be
    /// given in <see cref="ExtraConfig"/>.
    /// </summary>
    public static IReadOnlyCollection<string> ReservedConfigKeys { get; } =
    [
        "bootstrap.servers", "client.id", "enable.idempotence", "acks", "linger.ms", "message.timeout.ms",
        "group.id", "enable.auto.commit", "enable.auto.offset.store", "enable.partition.eof", "auto.offset.reset",
        "partition.assignment.strategy",
    ];

    /// <summary>
    /// The clock the log's read frontier is derived from (Kafka stamps records with the broker's clock, so
    /// only the real one makes sense outside tests).
    /// </summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>Comma-separated host:port list of brokers (librdkafka's bootstrap.servers). Required.</summary>
    public string BootstrapServers { get; set; } = "";

    /// <summary>Client id reported to the brokers; shows up in broker logs and quotas.</summary>
    public string ClientId { get; set; } = "lambda";

    /// <summary>
    /// Partitions for topics created without an explicit count. All event topics must share one
    /// count to stay co-partitioned; more partitions allow more speed workers but cost broker resources.
    /// </summary>
    public int DefaultPartitions { get; set; } = 4;

    /// <summary>
    /// Replicas of each created topic (default 3: the log is the master record, one disk must not
    /// lose it). More than the cluster's brokers is refused at creation; a single broker needs 1.
    /// </summary>
    public short ReplicationFactor { get; set; } = 3;

    /// <summary>
    /// Topic setting min.insync.replicas (default 2): with the producers' acks=all, a record is
    /// acknowledged only once this many replicas have it, so one broker lost after an
    /// acknowledgement loses nothing. At most <see cref="ReplicationFactor"/>.
    /// </summary>
    public short MinInSyncReplicas { get; set; } = 2;

    /// <summary>Topic setting retention.ms; null (the default) keeps records forever, as the master record must.</summary>
    public TimeSpan? Retention { get; set; }

    /// <summary>Topic setting retention.bytes per partition; null (the default) is unlimited.</summary>
    public long? RetentionBytes { get; set; }

    /// <summary>
    /// Whether existing topics' settings are read (DescribeConfigs) to check them against these options
    /// and to show retention. Off only for clusters that do not serve DescribeConfigs (librdkafka's mock
    /// cluster); partition counts and replication factors are checked either way, from metadata.
    /// </summary>
    public bool CheckTopicConfigs { get; set; } = true;

    /// <summary>
    /// How long the producer waits to fill a batch (linger.ms). Larger batches raise throughput and
    /// compression, at the price of that much added latency per record.
    /// </summary>
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Longest time a record may wait for acknowledgement, retries included (message.timeout.ms),
    /// and so the longest a <c>FlushAsync</c> can take before it reports a delivery failure.
    /// librdkafka's own default of 5 minutes hides an unreachable cluster for too long.
    /// </summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of admin, metadata, watermark and commit requests.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Where librdkafka's own log lines go (client name, level, facility and message); null drops them.
    /// They are for diagnosis: every failure also reaches the caller as an exception or a delivery report.
    /// </summary>
    public Action<string>? ClientLog { get; set; }

    /// <summary>
    /// Extra librdkafka settings applied to every client (security.protocol, sasl.*, ssl.*, ...). A key
    /// prefixed with <c>producer.</c>, <c>consumer.</c> or <c>admin.</c> applies to that kind of client only
    /// (<c>producer.compression.type</c>, <c>consumer.fetch.max.bytes</c>); see <see cref="ExtraConfigFor"/>.
    /// Keys in <see cref="ReservedConfigKeys"/> are rejected, with or without a prefix.
    /// </summary>
    public IDictionary<string, string> ExtraConfig { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The <see cref="ExtraConfig"/> settings a client of <paramref name="kind"/> gets: unprefixed keys and its own prefix's, without the prefix.</summary>
    public IEnumerable<KeyValuePair<string, string>> ExtraConfigFor(KafkaClientKind kind)
    {
        foreach (var (key, value) in ExtraConfig)
        {
            var (scope, name) = Scoped(key);
            if (scope is null || scope == kind)
            {
                yield return new(name, value);
            }
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(BootstrapServers))
        {
            throw Invalid(nameof(BootstrapServers), "is required (a comma-separated host:port list)");
        }

        if (string.IsNullOrWhiteSpace(ClientId))
        {
            throw Invalid(nameof(ClientId), "must not be empty");
        }

        if (DefaultPartitions < 1)
        {
            throw Invalid(nameof(DefaultPartitions), $"must be at least 1 (was {DefaultPartitions})");
        }

        if (ReplicationFactor < 1)
        {
            throw Invalid(nameof(ReplicationFactor), $"must be at least 1 (was {ReplicationFactor})");
        }

        if (MinInSyncReplicas < 1 || MinInSyncReplicas > ReplicationFactor)
        {
            throw Invalid(nameof(MinInSyncReplicas),
                $"must be between 1 and the replication factor {ReplicationFactor} (was {MinInSyncReplicas})");
        }

        if (Retention is { } retention && retention < TimeSpan.FromMilliseconds(1))
        {
            throw Invalid(nameof(Retention), $"must be positive, or null to keep records forever (was {retention})");
        }

        if (RetentionBytes is < 1)
        {
            throw Invalid(nameof(RetentionBytes), $"must be positive, or null for no limit (was {RetentionBytes})");
        }

        if (Linger < TimeSpan.Zero || Linger > TimeSpan.FromSeconds(10))
        {
            throw Invalid(nameof(Linger), $"must be between 0 and 10 s (was {Linger})");
        }

        if (DeliveryTimeout < TimeSpan.FromMilliseconds(1) || DeliveryTimeout > TimeSpan.FromDays(1))
        {
            throw Invalid(nameof(DeliveryTimeout), $"must be between 1 ms and 1 day (was {DeliveryTimeout})");
        }

        if (RequestTimeout < TimeSpan.FromMilliseconds(1) || RequestTimeout > TimeSpan.FromHours(1))
        {
            throw Invalid(nameof(RequestTimeout), $"must be between 1 ms and 1 hour (was {RequestTimeout})");
        }

        foreach (var (key, value) in ExtraConfig)
        {
            if (string.IsNullOrWhiteSpace(key) || value is null)
            {
                throw Invalid(nameof(ExtraConfig), "keys must be non-empty and values non-null");
            }

            var name = Scoped(key).Name;
            if (name.Length == 0)
            {
                throw Invalid(nameof(ExtraConfig), $"'{key}' names no setting after its client prefix");
            }

            if (ReservedConfigKeys.Contains(name))
            {
                throw Invalid(nameof(ExtraConfig), $"'{key}' is set by the log itself and cannot be overridden");
            }
        }
    }

    /// <summary>The topic-level settings a created topic gets, and an existing one is checked against.</summary>
    public IReadOnlyDictionary<string, string> TopicConfigs() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // The broker stamps append time: record timestamps then never decrease within a partition,
        // which the speed layer's deterministic merge relies on.
        ["message.timestamp.type"] = "LogAppendTime",
        ["min.insync.replicas"] = MinInSyncReplicas.ToString(CultureInfo.InvariantCulture),
        ["retention.ms"] = Retention is { } retention ? ((long)retention.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) : "-1",
        ["retention.bytes"] = RetentionBytes?.ToString(CultureInfo.InvariantCulture) ?? "-1",
    };

    private static (KafkaClientKind? Scope, string Name) Scoped(string key)
    {
        foreach (var kind in Enum.GetValues<KafkaClientKind>())
        {
            var prefix = kind.ToString().ToLowerInvariant() + ".";
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                return (kind, key[prefix.Length..]);
            }
        }

        return (null, key);
    }

    private static ArgumentException Invalid(string option, string problem) =>
        new($"KafkaLogOptions.{option} {problem}", option);
}

using Confluent.Kafka;

namespace Lambda.Log.Kafka;

/// <summary>The librdkafka configuration of each client the log creates, from one set of options.</summary>
internal sealed class KafkaClientConfigs(KafkaLogOptions options)
{
    private const string ReaderGroup = "lambda.positional-reader";
    private static readonly TimeSpan MinSocketTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Every client's log handler: librdkafka's own lines (it writes them to stderr by default, dozens a
    /// second while a broker is away) go to <see cref="KafkaLogOptions.ClientLog"/>, or nowhere. Failures
    /// reach the caller anyway, as exceptions and delivery reports.
    /// </summary>
    public void OnClientLog(IClient client, LogMessage message) =>
        options.ClientLog?.Invoke($"{message.Name} {message.Level} {message.Facility}: {message.Message}");

    public AdminClientConfig Admin() => Apply(new AdminClientConfig(), KafkaClientKind.Admin);

    public ProducerConfig Producer()
    {
        var config = Apply(new ProducerConfig(), KafkaClientKind.Producer);
        // Idempotence (acks=all, bounded in-flight, retries) gives exactly-once, in-order appends
        // per partition even when librdkafka retries after a lost acknowledgement.
        config.EnableIdempotence = true;
        config.Acks = Acks.All;
        config.LingerMs = options.Linger.TotalMilliseconds;
        config.MessageTimeoutMs = ToMs(options.DeliveryTimeout);
        // Delivery reports carry only the outcome; the record's bytes are not copied back.
        config.DeliveryReportFields = "none";
        return config;
    }

    /// <summary>A consumer for positional reads: no group, no commits, end of partition reported.</summary>
    public ConsumerConfig Reader()
    {
        var config = Apply(new ConsumerConfig(), KafkaClientKind.Consumer);
        // Confluent.Kafka 1.9 refuses a consumer without group.id. This one never subscribes or
        // commits, so the group is never joined and never appears on the broker.
        config.GroupId = ReaderGroup;
        config.EnableAutoCommit = false;
        config.EnableAutoOffsetStore = false;
        config.EnablePartitionEof = true;
        // An offset outside the partition is reported to the reader, which decides, instead of
        // librdkafka silently jumping to one end.
        config.AutoOffsetReset = AutoOffsetReset.Error;
        // A reader keeps a consumer per topic-partition it reads (a speed process: 3 per partition),
        // each prefetching; this caps one's prefetch at 16 MB instead of librdkafka's 64 MB.
        config.QueuedMaxMessagesKbytes = 16 * 1024;
        return config;
    }

    /// <summary>A consumer that only commits and fetches offsets for <paramref name="group"/>.</summary>
    public ConsumerConfig Group(string group)
    {
        var config = Apply(new ConsumerConfig(), KafkaClientKind.Consumer);
        config.GroupId = group;
        config.EnableAutoCommit = false;
        config.EnableAutoOffsetStore = false;
        return config;
    }

    /// <summary>
    /// A member of <paramref name="group"/> that subscribes and takes part in rebalances. The range
    /// assignor gives each member the same partition numbers of every topic when the topics share
    /// one partition count and every member subscribes to all of them: co-partitioning holds.
    /// </summary>
    public ConsumerConfig Member(string group)
    {
        var config = Group(group);
        config.PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range;
        return config;
    }

    private T Apply<T>(T config, KafkaClientKind kind) where T : ClientConfig
    {
        foreach (var (key, value) in options.ExtraConfigFor(kind))
        {
            config.Set(key, value);
        }

        config.BootstrapServers = options.BootstrapServers;
        config.ClientId = options.ClientId;
        // A hung broker (paused, or cut off without a reset) keeps its connections open and answers
        // nothing: a request to it ends only at the socket timeout, and only then does librdkafka refresh
        // metadata and find the partition's new leader. At librdkafka's 60 s that came after a 30 s
        // delivery had timed out; a third of the command's timeout leaves room for the retry.
        if (config.Get("socket.timeout.ms") is null)
        {
            var timeout = kind == KafkaClientKind.Producer ? options.DeliveryTimeout : options.RequestTimeout;
            config.SocketTimeoutMs = ToMs(TimeSpan.FromTicks(Math.Max(timeout.Ticks / 3, MinSocketTimeout.Ticks)));
        }

        return config;
    }

    private static int ToMs(TimeSpan span) =>
        (int)Math.Clamp(Math.Ceiling(span.TotalMilliseconds), 1, int.MaxValue);
}

using Lambda.Log.Kafka;

namespace Lambda.Log.Tests.Kafka;

public sealed class KafkaLogOptionsTests
{
    public static TheoryData<string, Action<KafkaLogOptions>> InvalidOptions => new()
    {
        { nameof(KafkaLogOptions.BootstrapServers), o => o.BootstrapServers = " " },
        { nameof(KafkaLogOptions.ClientId), o => o.ClientId = "" },
        { nameof(KafkaLogOptions.DefaultPartitions), o => o.DefaultPartitions = 0 },
        { nameof(KafkaLogOptions.ReplicationFactor), o => o.ReplicationFactor = 0 },
        { nameof(KafkaLogOptions.MinInSyncReplicas), o => o.MinInSyncReplicas = 0 },
        { nameof(KafkaLogOptions.MinInSyncReplicas), o => o.MinInSyncReplicas = 4 },
        { nameof(KafkaLogOptions.Retention), o => o.Retention = TimeSpan.Zero },
        { nameof(KafkaLogOptions.RetentionBytes), o => o.RetentionBytes = 0 },
        { nameof(KafkaLogOptions.Linger), o => o.Linger = TimeSpan.FromMilliseconds(-1) },
        { nameof(KafkaLogOptions.DeliveryTimeout), o => o.DeliveryTimeout = TimeSpan.Zero },
        { nameof(KafkaLogOptions.RequestTimeout), o => o.RequestTimeout = TimeSpan.Zero },
        { nameof(KafkaLogOptions.ExtraConfig), o => o.ExtraConfig["enable.idempotence"] = "false" },
        { nameof(KafkaLogOptions.ExtraConfig), o => o.ExtraConfig["producer.acks"] = "1" },
        { nameof(KafkaLogOptions.ExtraConfig), o => o.ExtraConfig["consumer."] = "1" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void an_invalid_option_is_rejected_with_its_name(string option, Action<KafkaLogOptions> breakIt)
    {
        var options = new KafkaLogOptions { BootstrapServers = "localhost:9092" };
        breakIt(options);

        var e = Assert.Throws<ArgumentException>(() => new KafkaEventLog(options));

        Assert.Equal(option, e.ParamName);
        Assert.Contains($"KafkaLogOptions.{option}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void bootstrap_servers_are_required()
    {
        var e = Assert.Throws<ArgumentException>(() => new KafkaLogOptions().Validate());

        Assert.Contains("BootstrapServers is required", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void extra_config_that_is_not_reserved_is_accepted()
    {
        var options = new KafkaLogOptions { BootstrapServers = "localhost:9092" };
        options.ExtraConfig["compression.type"] = "lz4";

        options.Validate();
    }

    [Fact]
    public void a_prefixed_extra_config_key_goes_to_its_kind_of_client_only()
    {
        var options = new KafkaLogOptions { BootstrapServers = "localhost:9092" };
        options.ExtraConfig["security.protocol"] = "plaintext";
        options.ExtraConfig["consumer.fetch.max.bytes"] = "1048576";
        options.ExtraConfig["producer.compression.type"] = "lz4";
        options.ExtraConfig["admin.socket.timeout.ms"] = "9000";
        options.Validate();

        Assert.Equal(
            ["compression.type=lz4", "security.protocol=plaintext"],
            Settings(options, KafkaClientKind.Producer));
        Assert.Equal(
            ["fetch.max.bytes=1048576", "security.protocol=plaintext"],
            Settings(options, KafkaClientKind.Consumer));
        Assert.Equal(
            ["security.protocol=plaintext", "socket.timeout.ms=9000"],
            Settings(options, KafkaClientKind.Admin));
    }

    [Fact]
    public void a_request_to_a_hung_broker_is_given_up_after_a_third_of_the_timeout_unless_the_socket_timeout_is_set()
    {
        // A paused leader answers nothing: only the socket timeout ends the request and lets librdkafka
        // find the new leader, and it must come well before the delivery (or the command) times out.
        var options = new KafkaLogOptions { BootstrapServers = "localhost:9092", DeliveryTimeout = TimeSpan.FromSeconds(30), RequestTimeout = TimeSpan.FromSeconds(15) };
        var configs = new KafkaClientConfigs(options);
        Assert.Equal((10_000, 5_000, 5_000), (configs.Producer().SocketTimeoutMs, configs.Reader().SocketTimeoutMs, configs.Admin().SocketTimeoutMs));

        options.ExtraConfig["producer.socket.timeout.ms"] = "45000";
        Assert.Equal(45_000, new KafkaClientConfigs(options).Producer().SocketTimeoutMs);
    }

    private static string[] Settings(KafkaLogOptions options, KafkaClientKind kind) =>
        [.. options.ExtraConfigFor(kind).Select(s => $"{s.Key}={s.Value}").Order(StringComparer.Ordinal)];

    [Fact]
    public void by_default_topics_are_replicated_three_times_need_two_in_sync_and_keep_records_forever()
    {
        var options = new KafkaLogOptions { BootstrapServers = "localhost:9092" };

        Assert.Equal(3, options.ReplicationFactor);
        Assert.Equal(new Dictionary<string, string>
        {
            ["message.timestamp.type"] = "LogAppendTime",
            ["min.insync.replicas"] = "2",
            ["retention.ms"] = "-1",
            ["retention.bytes"] = "-1",
        }, options.TopicConfigs());
    }
}

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
        { nameof(KafkaLogOptions.Linger), o => o.Linger = TimeSpan.FromMilliseconds(-1) },
        { nameof(KafkaLogOptions.DeliveryTimeout), o => o.DeliveryTimeout = TimeSpan.Zero },
        { nameof(KafkaLogOptions.RequestTimeout), o => o.RequestTimeout = TimeSpan.Zero },
        { nameof(KafkaLogOptions.ExtraConfig), o => o.ExtraConfig["enable.idempotence"] = "false" },
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
}

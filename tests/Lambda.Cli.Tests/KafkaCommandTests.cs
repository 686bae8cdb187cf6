using Lambda.Log.Kafka;
using Lambda.Log.Tests.Kafka;

namespace Lambda.Cli.Tests;

/// <summary>`lambda` on Kafka without a real broker: an unreachable cluster, bad topic settings, and `topics` only reading (mock cluster).</summary>
public sealed class KafkaCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("topics")]
    [InlineData("generate", "--events", "10")]
    public async Task a_command_against_an_unreachable_cluster_prints_one_error_line_naming_the_bootstrap_and_exits_1(params string[] command)
    {
        // Port 1 on loopback: nothing listens. The timeout bounds the wait (the default is 30 s).
        var (code, _, error) = await CliRunner.RunAsync([.. command, "--log", "kafka", "--kafka-bootstrap", "127.0.0.1:1",
            "--kafka-timeout", "2s", "--data-dir", _dir.Path]);

        Assert.Equal(1, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: Kafka at 127.0.0.1:1 did not answer within 2 s", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--kafka-min-insync", "4", "'kafka_min_insync' (from --kafka-min-insync): 4 is more than the replication factor 3")]
    [InlineData("--kafka-replication", "0", "'kafka_replication' (from --kafka-replication): 0 is not between 1")]
    [InlineData("--kafka-retention", "forever", "'kafka_retention' (from --kafka-retention): 'forever' is not unlimited or")]
    [InlineData("--kafka-retention-bytes", "-5", "'kafka_retention_bytes' (from --kafka-retention-bytes)")]
    [InlineData("--kafka-timeout", "soon", "'kafka_timeout' (from --kafka-timeout)")]
    public async Task a_bad_kafka_setting_is_a_usage_error_naming_it(string flag, string value, string message)
    {
        var (code, _, error) = await CliRunner.RunAsync("topics", "--log", "kafka", "--kafka-bootstrap", "127.0.0.1:1", flag, value, "--data-dir", _dir.Path);

        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task topics_on_kafka_lists_replication_and_creates_nothing()
    {
        using var cluster = new LibrdkafkaMockCluster();
        cluster.CreateTopic("ad-served", 2);

        var (code, output, error) = await CliRunner.RunAsync(["topics", .. cluster.CliArguments(), "--data-dir", _dir.Path]);

        Assert.True(code == 0, error);
        // The mock serves no DescribeConfigs, so its settings show as "?".
        Assert.Matches(@"ad-served\s+2\s+1\s+1\s+0\s+\?\s+\?\s+\?", output);
        await using var log = new KafkaEventLog(cluster.LogOptions(TimeSpan.FromSeconds(20)));
        Assert.Equal(["ad-served"], (await log.ListTopicsAsync()).Select(t => t.Name));
    }
}

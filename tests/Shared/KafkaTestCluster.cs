using System.Globalization;
using System.Net.Sockets;
using Confluent.Kafka;
using Lambda.Log.Kafka;

namespace Lambda.Tests.Shared;

/// <summary>
/// The real Kafka cluster the tests run against, named by LAMBDA_KAFKA_BOOTSTRAP (infra/test.sh starts
/// one from ../shared/engines/kafka). Without a reachable one a test skips and says why, or fails
/// when CI is set: CI always has the cluster, so its absence there is a broken run, not a skip.
/// </summary>
internal static class KafkaTestCluster
{
    public const string Variable = "LAMBDA_KAFKA_BOOTSTRAP";

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);
    private static readonly Lazy<(string? Bootstrap, string? Unavailable)> Found = new(Find);
    private static readonly Lazy<int> BrokerCount = new(CountBrokers);

    /// <summary>The cluster's bootstrap servers; skips, or fails on CI, when no broker answers.</summary>
    public static string RequireBootstrap()
    {
        FaultEnvironment.Require(Found.Value.Unavailable);
        return Found.Value.Bootstrap!;
    }

    /// <summary>Brokers of the test cluster (from its metadata).</summary>
    public static int Brokers => BrokerCount.Value;

    /// <summary>Replicas the tests ask for: 3 (the default) on a 3-broker cluster, 1 on a single broker.</summary>
    public static short ReplicationFactor => (short)Math.Min(3, BrokerCount.Value);

    /// <summary>min.insync.replicas the tests ask for: 2 (the default) with 3 replicas, 1 on a single broker.</summary>
    public static short MinInSyncReplicas => (short)Math.Min(2, (int)ReplicationFactor);

    /// <summary>Options for the test cluster, replicated as much as it allows.</summary>
    public static KafkaLogOptions Options() => new()
    {
        BootstrapServers = RequireBootstrap(),
        ClientId = "lambda-tests",
        ReplicationFactor = ReplicationFactor,
        MinInSyncReplicas = MinInSyncReplicas,
    };

    public static KafkaEventLog CreateLogOrSkip() => new(Options());

    /// <summary>The `lambda` flags that reach the test cluster with the same replication.</summary>
    public static string[] CliArguments() =>
    [
        "--log", "kafka", "--kafka-bootstrap", RequireBootstrap(),
        "--kafka-replication", ReplicationFactor.ToString(CultureInfo.InvariantCulture),
        "--kafka-min-insync", MinInSyncReplicas.ToString(CultureInfo.InvariantCulture),
    ];

    private static (string?, string?) Find()
    {
        var bootstrap = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(bootstrap))
        {
            return (null, $"{Variable} is not set: no Kafka broker to run against (infra/test.sh starts one from ../shared/engines/kafka)");
        }

        // One broker answering is enough: librdkafka finds the others through it.
        foreach (var server in bootstrap.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = server.LastIndexOf(':');
            if (colon > 0 && int.TryParse(server[(colon + 1)..], out var port) && Answers(server[..colon], port))
            {
                return (bootstrap, null);
            }
        }

        return (null, $"no Kafka broker answers at {Variable}={bootstrap}");
    }

    private static int CountBrokers()
    {
        KafkaNative.EnsureLoaded();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = RequireBootstrap() }).Build();
        return admin.GetMetadata(TimeSpan.FromSeconds(30)).Brokers.Count;
    }

    private static bool Answers(string host, int port)
    {
        using var client = new TcpClient();
        try
        {
            return client.ConnectAsync(host, port).Wait(ConnectTimeout);
        }
        catch (AggregateException e) when (e.InnerException is SocketException)
        {
            return false;
        }
    }
}

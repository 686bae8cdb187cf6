using System.Net.Sockets;
using Lambda.Log.Kafka;
using Lambda.Tests.Shared;

namespace Lambda.Log.Tests.Kafka;

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

    /// <summary>The cluster's bootstrap servers; skips, or fails on CI, when no broker answers.</summary>
    public static string RequireBootstrap()
    {
        FaultEnvironment.Require(Found.Value.Unavailable);
        return Found.Value.Bootstrap!;
    }

    public static KafkaEventLog CreateLogOrSkip() =>
        new(new KafkaLogOptions { BootstrapServers = RequireBootstrap(), ClientId = "lambda-tests" });

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

using System.Globalization;
using Confluent.Kafka;
using Lambda.Log.Kafka;
using Lambda.SharedModel.Events;

namespace Lambda.Tests.Shared;

/// <summary>
/// A 3-broker cluster of the test's own (infra/kafka-cluster.sh, from ../shared/engines/kafka), so that
/// its brokers can be killed, stopped and paused without touching the cluster other tests share.
/// Skipped without the bundled cluster, a failure when CI is set. Stopped (and its folder removed) on dispose.
/// </summary>
internal sealed class PrivateKafkaCluster : IDisposable
{
    private readonly string? _dir;

    private PrivateKafkaCluster(string dir, string bootstrap)
    {
        _dir = dir;
        Bootstrap = bootstrap;
    }

    public string Bootstrap { get; }

    /// <summary>Starts 3 brokers; skips (fails on CI) when the bundled cluster cannot start.</summary>
    public static PrivateKafkaCluster Start()
    {
        var (code, output) = FaultEnvironment.Run("bash", RepositoryFile("infra/kafka-cluster.sh"), "start", "3");
        FaultEnvironment.Require(code == 0 ? null : $"no private 3-broker Kafka cluster: {output.Trim()}");
        var dir = output.Trim();
        return new PrivateKafkaCluster(dir, File.ReadAllText(Path.Combine(dir, "bootstrap")).Trim());
    }

    /// <summary>The `lambda` flags for this cluster: 3 replicas, min.insync.replicas 2 (the defaults, spelled out).</summary>
    public string[] CliArguments() =>
        ["--log", "kafka", "--kafka-bootstrap", Bootstrap, "--kafka-replication", "3", "--kafka-min-insync", "2"];

    /// <summary>broker.sh: kill (SIGKILL), stop (SIGTERM, waits), start, pause (SIGSTOP), resume.</summary>
    public void Broker(string action, int id)
    {
        var (code, output) = FaultEnvironment.Run("bash", EngineFile("broker.sh"), _dir!, action, id.ToString(CultureInfo.InvariantCulture));
        Assert.True(code == 0, $"broker.sh {action} {id} failed: {output}");
    }

    /// <summary>The broker leading most partitions of the event topics (ad-served, ad-views, ad-clicks).</summary>
    public int BusiestLeader()
    {
        KafkaNative.EnsureLoaded();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Bootstrap }).SetLogHandler((_, _) => { }).Build();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(30));
        return metadata.Topics.Where(t => Topics.EventTopics.Contains(t.Topic)).SelectMany(t => t.Partitions)
            .GroupBy(p => p.Leader).OrderByDescending(g => g.Count()).First().Key;
    }

    public void Dispose()
    {
        if (_dir is not null)
        {
            FaultEnvironment.Run("bash", RepositoryFile("infra/kafka-cluster.sh"), "stop", _dir);
        }
    }

    private static string EngineFile(string name) =>
        Path.Combine(Path.GetDirectoryName(RepositoryFile("infra/kafka-cluster.sh"))!, "..", "..", "shared", "engines", "kafka", name);

    private static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, relative);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }
}

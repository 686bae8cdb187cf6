using System.Runtime.InteropServices;
using System.Text;
using Lambda.Log.Kafka;

namespace Lambda.Log.Tests.Kafka;

/// <summary>
/// librdkafka's built-in mock cluster (rdkafka_mock.h, in the librdkafka.redist build the log loads):
/// real Kafka protocol listeners on localhost, in this process. The admin client's CreateTopics times
/// out against it, so topics are created through <see cref="CreateTopic"/> instead.
/// </summary>
internal sealed class LibrdkafkaMockCluster : IDisposable
{
    private const string Library = "librdkafka";
    private const int ProducerType = 0;

    private readonly IntPtr _client;
    private readonly IntPtr _cluster;

    static LibrdkafkaMockCluster()
    {
        // This assembly's [DllImport("librdkafka")] binds to the very file the log loaded.
        KafkaNative.EnsureLoaded();
        NativeLibrary.SetDllImportResolver(typeof(LibrdkafkaMockCluster).Assembly, (name, _, _) =>
            name == Library && KafkaNative.LibraryPath is { } path ? NativeLibrary.Load(path) : IntPtr.Zero);
    }

    public LibrdkafkaMockCluster(int brokers = 1)
    {
        var errors = new byte[512];
        // rd_kafka_new takes ownership of the configuration object.
        _client = rd_kafka_new(ProducerType, rd_kafka_conf_new(), errors, errors.Length);
        if (_client == IntPtr.Zero)
        {
            throw new InvalidOperationException("rd_kafka_new failed: " + Encoding.UTF8.GetString(errors).TrimEnd('\0'));
        }

        _cluster = rd_kafka_mock_cluster_new(_client, brokers);
        if (_cluster == IntPtr.Zero)
        {
            rd_kafka_destroy(_client);
            throw new InvalidOperationException("rd_kafka_mock_cluster_new failed");
        }

        BootstrapServers = Marshal.PtrToStringUTF8(rd_kafka_mock_cluster_bootstraps(_cluster))!;
    }

    public string BootstrapServers { get; }

    /// <summary>
    /// Log options for this cluster: its topics have one replica (<see cref="CreateTopic"/>) and it
    /// serves no DescribeConfigs, so the log asks for one replica and does not read topic configs.
    /// </summary>
    public KafkaLogOptions LogOptions(TimeSpan timeout) => new()
    {
        BootstrapServers = BootstrapServers,
        ReplicationFactor = 1,
        MinInSyncReplicas = 1,
        CheckTopicConfigs = false,
        DeliveryTimeout = timeout,
        RequestTimeout = timeout,
    };

    /// <summary>The `lambda` flags matching <see cref="LogOptions"/>.</summary>
    public string[] CliArguments() =>
        ["--log", "kafka", "--kafka-bootstrap", BootstrapServers, "--kafka-replication", "1", "--kafka-min-insync", "1", "--kafka-check-configs", "false"];

    public void CreateTopic(string topic, int partitions)
    {
        var error = rd_kafka_mock_topic_create(_cluster, Utf8(topic), partitions, 1);
        if (error != 0)
        {
            throw new InvalidOperationException($"rd_kafka_mock_topic_create({topic}) failed with error {error}");
        }
    }

    public void Dispose()
    {
        rd_kafka_mock_cluster_destroy(_cluster);
        rd_kafka_destroy(_client);
    }

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s + "\0");

    [DllImport(Library)]
    private static extern IntPtr rd_kafka_conf_new();

    [DllImport(Library)]
    private static extern IntPtr rd_kafka_new(int type, IntPtr conf, [In, Out] byte[] errstr, nint errstrSize);

    [DllImport(Library)]
    private static extern void rd_kafka_destroy(IntPtr rk);

    [DllImport(Library)]
    private static extern IntPtr rd_kafka_mock_cluster_new(IntPtr rk, int brokerCount);

    [DllImport(Library)]
    private static extern void rd_kafka_mock_cluster_destroy(IntPtr cluster);

    [DllImport(Library)]
    private static extern IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr cluster);

    [DllImport(Library)]
    private static extern int rd_kafka_mock_topic_create(IntPtr cluster, byte[] topic, int partitions, int replicationFactor);
}

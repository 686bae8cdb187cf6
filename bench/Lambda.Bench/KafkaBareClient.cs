using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Lambda.Log.Kafka;

namespace Lambda.Bench;

/// <summary>
/// The floor `lambda` is measured against on Kafka (docs/benchmarks.md): a minimal Confluent.Kafka
/// producer and consumer, with the settings the platform's own clients use and nothing else. The
/// producer sends each JSON line of a file as a bare value (no key, no validation), round-robin over the
/// partitions of the topic its "type" names, with acks=all and idempotence; the consumer reads every
/// partition of the given topics from the start to the end offsets it found, counting records.
/// </summary>
public static class KafkaBareClient
{
    private static readonly (string Prefix, string Topic)[] Routes =
        [("{\"type\":\"served\"", "ad-served"), ("{\"type\":\"view\"", "ad-views"), ("{\"type\":\"click\"", "ad-clicks")];

    public static async Task<int> ProduceAsync(string bootstrap, string file, string topicPrefix, string compression, int lingerMs, TextWriter output)
    {
        KafkaNative.EnsureLoaded();
        var config = new ProducerConfig
        {
            BootstrapServers = bootstrap,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = lingerMs,
            CompressionType = Enum.Parse<CompressionType>(compression, ignoreCase: true),
            DeliveryReportFields = "none",
        };
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(30));
        var partitions = Routes.Select(r => metadata.Topics.Single(t => t.Topic == topicPrefix + r.Topic).Partitions.Count).ToArray();
        using var producer = new ProducerBuilder<Null, byte[]>(config).Build();
        long sent = 0, failed = 0;
        var next = new int[Routes.Length];
        var watch = Stopwatch.StartNew();
        foreach (var line in File.ReadLines(file))
        {
            var route = Array.FindIndex(Routes, r => line.StartsWith(r.Prefix, StringComparison.Ordinal));
            var partition = next[route]++ % partitions[route];
            var message = new Message<Null, byte[]> { Value = Encoding.UTF8.GetBytes(line) };
            while (true)
            {
                try
                {
                    producer.Produce(new TopicPartition(topicPrefix + Routes[route].Topic, partition), message, r => { if (r.Error.IsError) { Interlocked.Increment(ref failed); } });
                    break;
                }
                catch (ProduceException<Null, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(10)); // backpressure, as the platform's producer waits
                }
            }

            sent++;
        }

        producer.Flush(Timeout.InfiniteTimeSpan);
        var seconds = watch.Elapsed.TotalSeconds;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"bare produce: {sent} records in {seconds:F2} s ({sent / seconds:F0} records/s), {failed} failed, compression {compression}, linger {lingerMs} ms")).ConfigureAwait(false);
        return failed == 0 ? 0 : 1;
    }

    public static async Task<int> ConsumeAsync(string bootstrap, IReadOnlyList<string> topics, TextWriter output)
    {
        KafkaNative.EnsureLoaded();
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "lambda-bench-bare",
            EnableAutoCommit = false,
            EnablePartitionEof = true,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(30));
        var assigned = metadata.Topics.Where(t => topics.Contains(t.Topic))
            .SelectMany(t => t.Partitions.Select(p => new TopicPartitionOffset(t.Topic, p.PartitionId, Offset.Beginning))).ToList();
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(config).Build();
        var remaining = assigned.Count;
        long records = 0, bytes = 0;
        var watch = Stopwatch.StartNew();
        consumer.Assign(assigned);
        while (remaining > 0)
        {
            var result = consumer.Consume(TimeSpan.FromSeconds(10));
            if (result is null)
            {
                throw new TimeoutException("no record or end of partition within 10 s");
            }

            if (result.IsPartitionEOF)
            {
                remaining--;
                continue;
            }

            records++;
            bytes += result.Message.Value.Length;
        }

        var seconds = watch.Elapsed.TotalSeconds;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"bare consume: {records} records ({bytes / 1e6:F1} MB) in {seconds:F2} s ({records / seconds:F0} records/s) from {assigned.Count} partitions")).ConfigureAwait(false);
        return 0;
    }
}

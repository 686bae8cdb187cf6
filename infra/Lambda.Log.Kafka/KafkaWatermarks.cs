using System.Diagnostics;
using Confluent.Kafka;

namespace Lambda.Log.Kafka;

/// <summary>
/// Start and end offsets of partitions, through one consumer that only asks for watermarks. That
/// consumer fetches nothing, so nothing refreshes its metadata when a leader dies: its query goes on
/// to the dead broker until librdkafka's periodic refresh (5 minutes). A query that times out is
/// therefore retried on a fresh consumer, which looks the leaders up again, until the request timeout.
/// </summary>
internal sealed class KafkaWatermarks(KafkaClientConfigs configs, KafkaLogOptions options) : IDisposable
{
    // A leader election takes seconds; each try waits at most this long before looking the leader up again.
    private static readonly TimeSpan Attempt = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private IConsumer<Ignore, Ignore>? _consumer;

    public WatermarkOffsets Query(TopicPartition topicPartition)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var remaining = options.RequestTimeout - Stopwatch.GetElapsedTime(started);
            var consumer = Consumer();
            try
            {
                return consumer.QueryWatermarkOffsets(topicPartition, remaining < Attempt ? remaining : Attempt);
            }
            catch (KafkaException e) when (!e.Error.IsFatal)
            {
                if (Stopwatch.GetElapsedTime(started) >= options.RequestTimeout)
                {
                    throw new KafkaUnavailableException(options.BootstrapServers, options.RequestTimeout,
                        $"offsets of {topicPartition.Topic}[{topicPartition.Partition.Value}]: {e.Error.Reason}", e);
                }

                Replace(consumer);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            Close(_consumer);
            _consumer = null;
        }
    }

    private IConsumer<Ignore, Ignore> Consumer()
    {
        lock (_gate)
        {
            return _consumer ??= new ConsumerBuilder<Ignore, Ignore>(configs.Reader()).SetLogHandler(configs.OnClientLog).Build();
        }
    }

    // Another thread may have replaced it already; only the one that failed is closed.
    private void Replace(IConsumer<Ignore, Ignore> failed)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_consumer, failed))
            {
                _consumer = null;
                Close(failed);
            }
        }
    }

    private static void Close(IConsumer<Ignore, Ignore>? consumer)
    {
        if (consumer is not null)
        {
            consumer.Close();
            consumer.Dispose();
        }
    }
}

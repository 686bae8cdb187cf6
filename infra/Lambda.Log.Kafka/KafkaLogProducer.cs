using System.Text;
using Confluent.Kafka;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Partitioning;
using KafkaTopicPartition = Confluent.Kafka.TopicPartition;
using TopicPartition = Lambda.SharedModel.Log.TopicPartition;

namespace Lambda.Log.Kafka;

/// <summary>
/// An idempotent Kafka producer. The partition is chosen here with <see cref="KafkaPartitioner"/>
/// (the Java client's murmur2) and produced explicitly, because librdkafka's default partitioner
/// (consistent_random, CRC32) would place keys differently from the embedded log. The caller's
/// timestamp is not sent: a record's log time is when it was appended, as in the embedded log. A
/// record's <see cref="RecordHeaders"/> become Kafka record headers, one for one.
/// </summary>
internal sealed class KafkaLogProducer : ILogProducer
{
    // On a full local queue, Enqueue waits this long for deliveries to drain before trying again.
    private static readonly TimeSpan QueueFullBackoff = TimeSpan.FromMilliseconds(50);

    private readonly IProducer<byte[], byte[]> _producer;
    private readonly KafkaTopicCatalog _topics;
    private readonly Action<DeliveryReport<byte[], byte[]>> _onDelivery;
    private readonly Action<KafkaLogProducer> _onDisposed;
    private long _pending;
    private long _failed;
    private string? _firstFailure;
    private int _disposed;

    public KafkaLogProducer(KafkaClientConfigs configs, KafkaTopicCatalog topics, Action<KafkaLogProducer> onDisposed)
    {
        _producer = new ProducerBuilder<byte[], byte[]>(configs.Producer()).SetLogHandler(configs.OnClientLog).Build();
        _topics = topics;
        _onDisposed = onDisposed;
        _onDelivery = OnDelivery;
    }

    public int Enqueue(string topic, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long timestampMs, RecordHeaders headers = default)
    {
        var kafkaHeaders = ToKafka(headers);
        var partition = KafkaPartitioner.PartitionFor(key, _topics.PartitionCount(topic));
        Produce(topic, partition, key, value, kafkaHeaders);
        return partition;
    }

    public void Enqueue(TopicPartition topicPartition, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long timestampMs,
        RecordHeaders headers = default)
    {
        var kafkaHeaders = ToKafka(headers);
        ArgumentException.ThrowIfNullOrEmpty(topicPartition.Topic, nameof(topicPartition));
        ArgumentOutOfRangeException.ThrowIfNegative(topicPartition.Partition, nameof(topicPartition));
        // Checked now when the count is known; otherwise librdkafka reports an unknown partition
        // at the next flush, so an explicit partition never costs a metadata round trip.
        if (_topics.TryGetCachedPartitionCount(topicPartition.Topic, out var count) && topicPartition.Partition >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(topicPartition), topicPartition.Partition,
                $"{topicPartition}: topic '{topicPartition.Topic}' has {count} partitions");
        }

        Produce(topicPartition.Topic, topicPartition.Partition, key, value, kafkaHeaders);
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Volatile.Read(ref _pending) > 0)
        {
            await Task.Run(() => WaitForDeliveries(cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        var failed = Interlocked.Exchange(ref _failed, 0);
        if (failed > 0)
        {
            var first = Interlocked.Exchange(ref _firstFailure, null) ?? "unknown";
            throw new KafkaDeliveryException(failed, first);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Records still in flight get their chance (bounded by the delivery timeout); failures are
        // reported only by FlushAsync, so a caller that cares flushes before disposing.
        await Task.Run(() => WaitForDeliveries(CancellationToken.None)).ConfigureAwait(false);
        _producer.Dispose();
        _onDisposed(this);
    }

    /// <summary>The record's headers as Kafka's, or null for none (librdkafka then sends none).</summary>
    private static Headers? ToKafka(RecordHeaders headers)
    {
        if (headers.IsEmpty)
        {
            return null;
        }

        if (!headers.IsWellFormed)
        {
            throw new ArgumentException("the record headers are not well-formed", nameof(headers));
        }

        var kafka = new Headers();
        foreach (var header in headers)
        {
            kafka.Add(Encoding.UTF8.GetString(header.Key), header.Value.ToArray());
        }

        return kafka;
    }

    private void Produce(string topic, int partition, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, Headers? headers)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        // Confluent.Kafka takes byte arrays only; these two copies are the one allocation per record (and the headers, when any).
        var message = new Message<byte[], byte[]>
        {
            Key = key.ToArray(),
            Value = value.ToArray(),
            Headers = headers,
            // No create time from the caller: librdkafka stamps the produce time, and on a LogAppendTime topic
            // (CreateTopicAsync makes them so) the broker its own. The log time is then the append time on a
            // CreateTime topic too (one created outside Lambda, or the mock cluster), as in the embedded log:
            // a caller's past time would break the reader's log-time frontier (the speed layer merges topics by
            // it) and hold back the recompute's completeness check (the newest log time).
            Timestamp = Timestamp.Default,
        };
        var target = new KafkaTopicPartition(topic, new Partition(partition));
        Interlocked.Increment(ref _pending);
        while (true)
        {
            try
            {
                _producer.Produce(target, message, _onDelivery);
                return;
            }
            catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                // Backpressure: librdkafka's queue is full, so wait for acknowledgements to drain it.
                _producer.Flush(QueueFullBackoff);
            }
            catch
            {
                Interlocked.Decrement(ref _pending);
                throw;
            }
        }
    }

    private void OnDelivery(DeliveryReport<byte[], byte[]> report)
    {
        if (report.Error.IsError)
        {
            Interlocked.CompareExchange(ref _firstFailure,
                $"{report.Topic}[{report.Partition.Value}]: {report.Error.Code}: {report.Error.Reason}", null);
            Interlocked.Increment(ref _failed);
        }

        Interlocked.Decrement(ref _pending);
    }

    private void WaitForDeliveries(CancellationToken cancellationToken)
    {
        _producer.Flush(cancellationToken);
        // Flush returns once librdkafka's queue is empty; the last delivery handler may still be
        // finishing on the poll thread, and its outcome must be counted before we report.
        var spin = new SpinWait();
        while (Volatile.Read(ref _pending) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            spin.SpinOnce();
        }
    }
}

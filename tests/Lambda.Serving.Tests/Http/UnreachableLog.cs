using Lambda.SharedModel.Log;

namespace Lambda.Serving.Tests.Http;

/// <summary>
/// An event log whose producers cannot get an acknowledgement while <see cref="Down"/> is set, as a
/// Kafka producer during an outage: the flush fails with a <see cref="LogUnavailableException"/> and the
/// records are not appended. Everything else is the wrapped log's.
/// </summary>
internal sealed class UnreachableLog(IEventLog inner) : IEventLog
{
    public bool Down { get; set; }

    public string Kind => inner.Kind;

    public ValueTask CreateTopicAsync(string topic, int partitions, CancellationToken cancellationToken = default) =>
        inner.CreateTopicAsync(topic, partitions, cancellationToken);

    public ValueTask<IReadOnlyList<TopicDescription>> ListTopicsAsync(CancellationToken cancellationToken = default) => inner.ListTopicsAsync(cancellationToken);

    public ValueTask<PartitionOffsets> GetOffsetsAsync(TopicPartition topicPartition, CancellationToken cancellationToken = default) =>
        inner.GetOffsetsAsync(topicPartition, cancellationToken);

    public ILogProducer CreateProducer() => new Producer(this, inner.CreateProducer());

    public ILogReader CreateReader() => inner.CreateReader();

    public ValueTask CommitAsync(string group, IReadOnlyList<TopicPartitionOffset> offsets, CancellationToken cancellationToken = default) =>
        inner.CommitAsync(group, offsets, cancellationToken);

    public ValueTask<long?> GetCommittedAsync(string group, TopicPartition topicPartition, CancellationToken cancellationToken = default) =>
        inner.GetCommittedAsync(group, topicPartition, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private sealed class Producer(UnreachableLog log, ILogProducer inner) : ILogProducer
    {
        // Records enqueued since the last flush: dropped by a failed flush, as librdkafka reports them failed.
        private readonly List<(string Topic, byte[] Key, byte[] Value, long Time, byte[] Headers)> _pending = [];

        public int Enqueue(string topic, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long timestampMs, RecordHeaders headers = default)
        {
            _pending.Add((topic, key.ToArray(), value.ToArray(), timestampMs, headers.Encoded.ToArray()));
            return 0;
        }

        public void Enqueue(TopicPartition topicPartition, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long timestampMs,
            RecordHeaders headers = default) =>
            throw new NotSupportedException("the events endpoint enqueues by topic");

        public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
        {
            var pending = _pending.ToArray();
            _pending.Clear();
            if (log.Down)
            {
                throw new DeliveryTimedOut(pending.Length);
            }

            foreach (var (topic, key, value, time, headers) in pending)
            {
                inner.Enqueue(topic, key, value, time, new RecordHeaders(headers));
            }

            await inner.FlushAsync(cancellationToken);
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private sealed class DeliveryTimedOut(int records)
        : LogUnavailableException($"{records} record(s) were not delivered: Local_MsgTimedOut");
}

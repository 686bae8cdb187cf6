using Lambda.Log.Embedded.Storage;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Partitioning;

namespace Lambda.Log.Embedded;

/// <summary>Buffers records per partition as framed batches; a flush writes each partition's batches with one write.</summary>
internal sealed class EmbeddedProducer(EmbeddedEventLog log) : ILogProducer
{
    private readonly Dictionary<string, PendingBatches?[]> _topics = new(StringComparer.Ordinal);
    private readonly List<PendingBatches> _dirty = [];

    public int Enqueue(string topic, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long timestampMs, RecordHeaders headers = default)
    {
        CheckHeaders(headers);
        var pending = PendingOf(topic);
        var partition = KafkaPartitioner.PartitionFor(key, pending.Length);
        Add(pending, topic, partition, key, value, timestampMs, headers);
        return partition;
    }

    public void Enqueue(TopicPartition topicPartition, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long timestampMs,
        RecordHeaders headers = default)
    {
        CheckHeaders(headers);
        var pending = PendingOf(topicPartition.Topic);
        if ((uint)topicPartition.Partition >= (uint)pending.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(topicPartition), topicPartition,
                $"topic '{topicPartition.Topic}' has {pending.Length} partitions");
        }

        Add(pending, topicPartition.Topic, topicPartition.Partition, key, value, timestampMs, headers);
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        // Writes go to the page cache (and fsync by policy): short and synchronous, so no async hop.
        try
        {
            foreach (var pending in _dirty)
            {
                cancellationToken.ThrowIfCancellationRequested();
                pending.Flush();
            }
        }
        catch (IOException)
        {
            // A failed flush (a full disk) acknowledges nothing: the partitions not yet written are
            // dropped too, so they cannot slip into the log with a later caller's flush after this
            // caller was told to retry. Partitions written before the failure stay (dedupe by event_id).
            foreach (var pending in _dirty)
            {
                pending.Discard();
            }

            _dirty.Clear();
            throw;
        }

        _dirty.Clear();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => FlushAsync();

    private PendingBatches?[] PendingOf(string topic)
    {
        if (!_topics.TryGetValue(topic, out var pending))
        {
            pending = new PendingBatches?[log.GetTopic(topic).Partitions.Length];
            _topics[topic] = pending;
        }

        return pending;
    }

    private static void CheckHeaders(RecordHeaders headers)
    {
        if (!headers.IsWellFormed)
        {
            throw new ArgumentException("the record headers are not well-formed", nameof(headers));
        }
    }

    private void Add(PendingBatches?[] pending, string topic, int partition, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long timestampMs,
        RecordHeaders headers)
    {
        var batches = pending[partition] ??= new PendingBatches(log.GetTopic(topic).Partitions[partition], log.Options.MaxBatchBytes);
        if (batches.IsEmpty)
        {
            _dirty.Add(batches);
        }

        batches.Add(timestampMs, key, value, headers.Encoded);
    }
}

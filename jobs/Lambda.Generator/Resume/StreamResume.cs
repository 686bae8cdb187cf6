using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Partitioning;

namespace Lambda.Generator.Resume;

/// <summary>
/// Resumes a deterministic stream into a log after a crash without sending any record twice or
/// skipping one. Each topic-partition holds a prefix of the stream's records for it (a producer
/// appends a partition's records in order, and a torn tail is cut when the log reopens), but the
/// prefixes of different partitions may end at different points of the stream when a flush was cut
/// short. So the stream is regenerated from its start and, per topic-partition, its first
/// (end − base) records are skipped, since the log holds them; every other record is sent. The last
/// record skipped in each partition is compared with the log's last record, so a log that holds
/// anything else is refused rather than silently misaligned.
/// </summary>
public sealed class StreamResume
{
    private readonly Dictionary<string, PartitionCursor[]> _topics;
    private long _toSkip;

    private StreamResume(Dictionary<string, PartitionCursor[]> topics)
    {
        _topics = topics;
        _toSkip = topics.Values.SelectMany(p => p).Sum(p => p.ToSkip);
    }

    /// <summary>Records of the stream the log already held and that were skipped so far.</summary>
    public long Skipped { get; private set; }

    /// <summary>True while some partition still has records of the stream to skip.</summary>
    public bool IsSkipping => _toSkip > 0;

    /// <summary>The end offset of every partition of the event topics: where a stream started now begins.</summary>
    public static async Task<Dictionary<TopicPartition, long>> EndOffsetsAsync(IEventLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        var ends = new Dictionary<TopicPartition, long>();
        foreach (var topic in await log.ListTopicsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!Topics.EventTopics.Contains(topic.Name))
            {
                continue;
            }

            for (var p = 0; p < topic.Partitions; p++)
            {
                var tp = new TopicPartition(topic.Name, p);
                ends[tp] = (await log.GetOffsetsAsync(tp, cancellationToken).ConfigureAwait(false)).End;
            }
        }

        return ends;
    }

    /// <summary>
    /// Reads how far the stream that began at <paramref name="baseOffsets"/> (see <see cref="EndOffsetsAsync"/>)
    /// got into <paramref name="log"/>, and the last record it holds in each partition.
    /// </summary>
    public static async Task<StreamResume> ReadAsync(IEventLog log, IReadOnlyDictionary<TopicPartition, long> baseOffsets,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(baseOffsets);
        var ends = await EndOffsetsAsync(log, cancellationToken).ConfigureAwait(false);
        var topics = new Dictionary<string, PartitionCursor[]>(StringComparer.Ordinal);
        using var reader = log.CreateReader();
        var batch = new RecordBatch(1, 64 * 1024);
        foreach (var topic in Topics.EventTopics)
        {
            var partitions = ends.Keys.Count(tp => tp.Topic == topic);
            var cursors = new PartitionCursor[partitions];
            for (var p = 0; p < partitions; p++)
            {
                var tp = new TopicPartition(topic, p);
                var start = baseOffsets.TryGetValue(tp, out var b) ? b : 0;
                var end = ends[tp];
                if (end < start)
                {
                    throw new InvalidDataException($"{tp} ends at offset {end}, before the stream's first offset {start}: this is not the log the stream was written to");
                }

                cursors[p] = new PartitionCursor(tp, end - start);
                if (end > start)
                {
                    await reader.ReadAsync(tp, end - 1, batch, 1, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
                    cursors[p].Last = batch.Count == 1 ? batch[0].Value.ToArray() : null;
                }
            }

            topics[topic] = cursors;
        }

        return new StreamResume(topics);
    }

    /// <summary>
    /// Whether the next record of the regenerated stream for (<paramref name="topic"/>, <paramref name="key"/>)
    /// must be sent: false when the log already holds it. Returns its partition.
    /// </summary>
    public bool IsNew(string topic, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, out int partition)
    {
        if (!_topics.TryGetValue(topic, out var cursors) || cursors.Length == 0)
        {
            throw new InvalidOperationException($"topic '{topic}' does not exist in the log");
        }

        partition = KafkaPartitioner.PartitionFor(key, cursors.Length);
        var cursor = cursors[partition];
        if (cursor.ToSkip == 0)
        {
            return true;
        }

        cursor.ToSkip--;
        _toSkip--;
        Skipped++;
        if (cursor.ToSkip == 0 && (cursor.Last is null || !value.SequenceEqual(cursor.Last)))
        {
            throw new InvalidDataException($"{cursor.TopicPartition}'s last record is not the stream's record at that position: the log holds records that are not from this stream");
        }

        return false;
    }

    private sealed class PartitionCursor(TopicPartition topicPartition, long toSkip)
    {
        public TopicPartition TopicPartition { get; } = topicPartition;
        public long ToSkip { get; set; } = toSkip;
        public byte[]? Last { get; set; }
    }
}

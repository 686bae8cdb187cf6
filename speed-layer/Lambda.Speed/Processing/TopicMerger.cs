using Lambda.SharedModel.Log;

namespace Lambda.Speed.Processing;

/// <summary>
/// Merges the three co-partitioned topics of one partition into one deterministic order: by log
/// timestamp, ties broken by topic index (served, views, clicks). A record is released only when
/// no other topic can still deliver an earlier one: that topic has a buffered record that is not
/// earlier, or the log has promised (the read's frontier) that nothing earlier will be appended.
/// So the order depends on the log's content alone, never on how reads happened to be batched,
/// and a replay after a crash processes records in exactly the original order.
/// </summary>
internal sealed class TopicMerger
{
    private readonly RecordBatch[] _batches;
    private readonly int[] _positions;
    // Log time of each topic's head record (when it has one): the merge decision per record reads
    // these instead of materializing a record per topic.
    private readonly long[] _headTimes;

    public TopicMerger(int topics, int batchSize)
    {
        _batches = new RecordBatch[topics];
        _positions = new int[topics];
        _headTimes = new long[topics];
        for (var t = 0; t < topics; t++)
        {
            _batches[t] = new RecordBatch(batchSize, batchSize * 256);
        }
    }

    /// <summary>True when topic <paramref name="topic"/> has no buffered record left and needs a read.</summary>
    public bool NeedsRead(int topic) => _positions[topic] >= _batches[topic].Count;

    /// <summary>The batch to read topic <paramref name="topic"/> into; call <see cref="Refilled"/> after.</summary>
    public RecordBatch BatchFor(int topic) => _batches[topic];

    public void Refilled(int topic)
    {
        _positions[topic] = 0;
        SetHead(topic);
    }

    /// <summary>
    /// The topic whose head record is next in the merged order, or -1 if the next record cannot be
    /// decided yet (a topic with nothing buffered might still deliver an earlier one).
    /// </summary>
    public int Next()
    {
        var best = -1;
        var bestTime = long.MaxValue;
        for (var t = 0; t < _batches.Length; t++)
        {
            if (!NeedsRead(t) && (best < 0 || _headTimes[t] < bestTime))
            {
                best = t;
                bestTime = _headTimes[t];
            }
        }

        if (best < 0)
        {
            return -1;
        }

        for (var t = 0; t < _batches.Length; t++)
        {
            if (NeedsRead(t))
            {
                // A later append to t has a timestamp >= its frontier; on a tie the lower topic index goes first.
                var frontier = _batches[t].LogTimeFrontierMs;
                if (bestTime > frontier || (bestTime == frontier && t < best))
                {
                    return -1;
                }
            }
        }

        return best;
    }

    /// <summary>The head record of <paramref name="topic"/>; <see cref="Advance"/> moves past it.</summary>
    public LogRecord Head(int topic) => _batches[topic][_positions[topic]];

    public void Advance(int topic)
    {
        _positions[topic]++;
        SetHead(topic);
    }

    private void SetHead(int topic)
    {
        var batch = _batches[topic];
        if (_positions[topic] < batch.Count)
        {
            _headTimes[topic] = batch[_positions[topic]].TimestampMs;
        }
    }

    /// <summary>The lowest frontier among topics with nothing buffered, or null if every topic has records.</summary>
    public long? QuietFrontier()
    {
        long? frontier = null;
        for (var t = 0; t < _batches.Length; t++)
        {
            if (NeedsRead(t))
            {
                var f = _batches[t].LogTimeFrontierMs;
                frontier = frontier is null ? f : Math.Min(frontier.Value, f);
            }
        }

        return frontier;
    }
}

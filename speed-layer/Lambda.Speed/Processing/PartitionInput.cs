using Lambda.SharedModel.Log;

namespace Lambda.Speed.Processing;

/// <summary>
/// The input side of one partition: reads its three topics without waiting and feeds the processor
/// every record the merge can release, in log-time order (<see cref="TopicMerger"/>). Reading is
/// positional, from the processor's own next offsets, so a restored state reads on from where it was.
/// </summary>
internal sealed class PartitionInput : IDisposable
{
    private readonly TopicPartition[] _inputs;
    private readonly ILogReader _reader;
    private readonly int _batchSize;
    private readonly TopicMerger _merger;
    // Per topic: the last read filled a whole batch, so the log had more waiting.
    private readonly bool[] _fullRead = new bool[PartitionProcessor.TopicCount];

    public PartitionInput(TopicPartition[] inputs, ILogReader reader, int batchSize)
    {
        _inputs = inputs;
        _reader = reader;
        _batchSize = batchSize;
        _merger = new TopicMerger(PartitionProcessor.TopicCount, batchSize);
    }

    /// <summary>Whether a topic's last read filled a whole batch: the partition is behind the log.</summary>
    public bool Backlogged => Array.IndexOf(_fullRead, true) >= 0;

    /// <summary>
    /// Reads what is available and processes it; stops early (every 4,096 records it looks) once
    /// <paramref name="yieldAt"/> has come, so a long backlog never holds up a due flush.
    /// </summary>
    public async Task<int> PumpAsync(PartitionProcessor processor, Func<bool> yieldAt, CancellationToken cancellationToken)
    {
        for (var t = 0; t < _inputs.Length; t++)
        {
            if (_merger.NeedsRead(t))
            {
                var batch = _merger.BatchFor(t);
                await _reader.ReadAsync(_inputs[t], processor.NextOffsets[t], batch, _batchSize, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
                _merger.Refilled(t);
                _fullRead[t] = batch.Count >= _batchSize;
            }
        }

        var processed = 0;
        int topic;
        while ((topic = _merger.Next()) >= 0)
        {
            processor.Process(topic, _merger.Head(topic));
            _merger.Advance(topic);
            if ((++processed & 4095) == 0 && yieldAt())
            {
                return processed;
            }
        }

        // Every topic drained: the log's promise lets idle topics stop holding the watermark back.
        if (_merger.QuietFrontier() is { } frontier && Enumerable.Range(0, _inputs.Length).All(_merger.NeedsRead))
        {
            processor.AdvanceLogTime(frontier);
        }

        return processed;
    }

    public void Dispose() => _reader.Dispose();
}

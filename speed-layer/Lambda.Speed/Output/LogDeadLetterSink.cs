using System.Text;
using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;
using Lambda.Speed.Processing;

namespace Lambda.Speed.Output;

/// <summary>
/// Sends records the speed layer cannot decode to the dead-letters topic, keyed by their source
/// (topic, partition, offset). A replay after a crash may send a dead letter again; the source
/// key identifies it as the same one, so readers of dead letters can drop the repeat.
/// Records are buffered in the producer and made durable by <see cref="FlushAsync"/>; the letters
/// of a flush that fails are sent again by the next, so an outage of the log loses none.
/// </summary>
internal sealed class LogDeadLetterSink : IDeadLetterSink
{
    private readonly ILogProducer _producer;
    // Letters enqueued since the last successful flush: a failed delivery drops records from the
    // producer, and the log cannot say which of them landed.
    private readonly List<(byte[] Key, byte[] Value)> _unflushed = [];

    public LogDeadLetterSink(ILogProducer producer) => _producer = producer;

    public void Reject(TopicPartitionOffset source, ReadOnlySpan<byte> original, DecodeResult result)
    {
        var tp = source.TopicPartition;
        var sourceName = $"speed:{tp.Topic}[{tp.Partition}]@{source.Offset}";
        var letter = DeadLetter.From(result, original, sourceName, line: null, topic: tp.Topic);
        var (key, value) = (Encoding.UTF8.GetBytes(sourceName), DeadLetterCodec.Encode(letter));
        _producer.Enqueue(Topics.DeadLetters, key, value, 0);
        _unflushed.Add((key, value));
    }

    /// <summary>
    /// Makes the letters durable. If the log cannot take them now, every letter since the last success is
    /// enqueued again before the error goes up (the worker retries the step): some may land twice, each
    /// copy under the same source key, so readers drop the repeat; none is lost.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_unflushed.Count == 0)
        {
            return;
        }

        try
        {
            await _producer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (LogUnavailableException)
        {
            foreach (var (key, value) in _unflushed)
            {
                _producer.Enqueue(Topics.DeadLetters, key, value, 0);
            }

            throw;
        }

        _unflushed.Clear();
    }
}

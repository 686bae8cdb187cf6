using System.Text;
using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Ingestion;
using Lambda.SharedModel.Log;
using Lambda.Speed.Processing;

namespace Lambda.Speed.Output;

/// <summary>
/// Sends records the speed layer cannot decode to the dead-letters topic, keyed by their source
/// (topic, partition, offset). A replay after a crash may send a dead letter again; the source
/// key identifies it as the same one, so readers of dead letters can drop the repeat. A dead letter
/// carries its record's request id (<see cref="RequestId"/>) as its own header, so the request that
/// brought the event can be followed to it. Records are buffered in the producer and made durable by
/// <see cref="FlushAsync"/>; the letters of a flush that fails are sent again by the next, so an
/// outage of the log loses none.
/// </summary>
internal sealed class LogDeadLetterSink : IDeadLetterSink
{
    private readonly ILogProducer _producer;
    // Letters enqueued since the last successful flush: a failed delivery drops records from the
    // producer, and the log cannot say which of them landed.
    private readonly List<(byte[] Key, byte[] Value, byte[]? Headers)> _unflushed = [];

    public LogDeadLetterSink(ILogProducer producer) => _producer = producer;

    public void Reject(TopicPartition source, in LogRecord record, DecodeResult result)
    {
        var sourceName = $"speed:{source.Topic}[{source.Partition}]@{record.Offset}";
        var letter = DeadLetter.From(result, record.Value, sourceName, line: null, topic: source.Topic);
        var unflushed = (Encoding.UTF8.GetBytes(sourceName), DeadLetterCodec.Encode(letter), RequestId.HeadersDerivedFrom(record.Headers));
        Enqueue(unflushed);
        _unflushed.Add(unflushed);
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
            _unflushed.ForEach(Enqueue);

            throw;
        }

        _unflushed.Clear();
    }

    private void Enqueue((byte[] Key, byte[] Value, byte[]? Headers) letter) =>
        _producer.Enqueue(Topics.DeadLetters, letter.Key, letter.Value, 0, new RecordHeaders(letter.Headers));
}

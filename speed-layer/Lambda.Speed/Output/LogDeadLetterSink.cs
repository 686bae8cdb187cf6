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
/// <see cref="FlushAsync"/>.
/// </summary>
internal sealed class LogDeadLetterSink : IDeadLetterSink
{
    private readonly ILogProducer _producer;
    private int _pending;

    public LogDeadLetterSink(ILogProducer producer) => _producer = producer;

    public void Reject(TopicPartition source, in LogRecord record, DecodeResult result)
    {
        var sourceName = $"speed:{source.Topic}[{source.Partition}]@{record.Offset}";
        var letter = DeadLetter.From(result, record.Value, sourceName, line: null, topic: source.Topic);
        _producer.Enqueue(Topics.DeadLetters, Encoding.UTF8.GetBytes(sourceName), DeadLetterCodec.Encode(letter), 0,
            new RecordHeaders(RequestId.HeadersDerivedFrom(record.Headers)));
        _pending++;
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending == 0)
        {
            return;
        }

        await _producer.FlushAsync(cancellationToken).ConfigureAwait(false);
        _pending = 0;
    }
}

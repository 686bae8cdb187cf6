using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Log;

namespace Lambda.Speed.Processing;

/// <summary>Where the speed layer sends records it cannot decode. Must not throw for a bad record.</summary>
internal interface IDeadLetterSink
{
    /// <summary>
    /// Rejects <paramref name="record"/>, read from <paramref name="source"/>. The source and the record's
    /// offset name where it was, so a dead letter sent again after a replay can be recognised as the same one.
    /// </summary>
    void Reject(TopicPartition source, in LogRecord record, DecodeResult result);
}

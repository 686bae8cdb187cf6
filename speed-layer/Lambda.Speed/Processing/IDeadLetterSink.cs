using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Log;

namespace Lambda.Speed.Processing;

/// <summary>Where the speed layer sends records it cannot decode. Must not throw for a bad record.</summary>
internal interface IDeadLetterSink
{
    /// <summary>
    /// Rejects a record read at <paramref name="source"/>. The source names topic, partition and offset,
    /// so a dead letter sent again after a replay can be recognised as the same one.
    /// </summary>
    void Reject(TopicPartitionOffset source, ReadOnlySpan<byte> original, DecodeResult result);
}

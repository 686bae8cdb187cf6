using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Log;
using Lambda.Speed.Processing;

namespace Lambda.Speed.Tests;

/// <summary>Keeps what the processor rejected, for assertions.</summary>
internal sealed class RecordingDeadLetters : IDeadLetterSink
{
    public List<(TopicPartitionOffset Source, RejectReason Reason)> Rejected { get; } = [];

    public void Reject(TopicPartitionOffset source, ReadOnlySpan<byte> original, DecodeResult result) =>
        Rejected.Add((source, result.Reason));
}

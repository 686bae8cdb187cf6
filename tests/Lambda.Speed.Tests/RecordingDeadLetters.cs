using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Ingestion;
using Lambda.SharedModel.Log;
using Lambda.Speed.Processing;

namespace Lambda.Speed.Tests;

/// <summary>Keeps what the processor rejected, for assertions.</summary>
internal sealed class RecordingDeadLetters : IDeadLetterSink
{
    public List<(TopicPartitionOffset Source, RejectReason Reason, string? RequestId)> Rejected { get; } = [];

    public void Reject(TopicPartition source, in LogRecord record, DecodeResult result) =>
        Rejected.Add((new TopicPartitionOffset(source, record.Offset), result.Reason, RequestId.Of(record.Headers)));
}

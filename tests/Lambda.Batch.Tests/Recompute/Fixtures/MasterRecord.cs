using Lambda.SharedModel.Events;

namespace Lambda.Batch.Tests.Recompute.Fixtures;

/// <summary>One record as the archive would have it: the event and where it sat in the log.</summary>
public sealed record MasterRecord(AdEventRecord Event, int Partition, long Offset, long LogTimeMs)
{
    public string Topic => Topics.ForKind(Event.Kind);
}

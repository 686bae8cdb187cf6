using Lambda.SharedModel.Codec;

namespace Lambda.SharedModel.Ingestion;

/// <summary>What an ingestion accepted and rejected, with rejections counted by reason.</summary>
public sealed class IngestSummary
{
    private readonly Dictionary<RejectReason, long> _rejected = [];

    public long Accepted { get; private set; }

    /// <summary>Accepted records per topic.</summary>
    public Dictionary<string, long> AcceptedByTopic { get; } = new(StringComparer.Ordinal);

    public long Rejected => _rejected.Values.Sum();

    public IReadOnlyDictionary<RejectReason, long> RejectedByReason => _rejected;

    internal void CountAccepted(string topic)
    {
        Accepted++;
        AcceptedByTopic[topic] = AcceptedByTopic.GetValueOrDefault(topic) + 1;
    }

    internal void CountRejected(RejectReason reason) => _rejected[reason] = _rejected.GetValueOrDefault(reason) + 1;
}

using Lambda.SharedModel.Events;

namespace Lambda.Generator;

/// <summary>
/// One generated record in compact form: indices into the generator's catalog instead of strings.
/// Turn it into JSON or an <see cref="AdEventRecord"/> with the <see cref="TrafficGenerator"/> that made it.
/// The flags say which imperfection the generator injected; they are not part of the wire record.
/// </summary>
public readonly record struct GeneratedEvent
{
    public EventKind Kind { get; init; }

    /// <summary>Event time, Unix epoch ms.</summary>
    public long EventTimeMs { get; init; }

    /// <summary>Nominal arrival (send) time, Unix epoch ms: StartTime + sequence / EventsPerSecond.</summary>
    public long ArrivalTimeMs { get; init; }

    /// <summary>
    /// Arrival slot: increases with every record, by one except in the final drain of a bounded run,
    /// where it skips ahead to the due slot of the next pending record. <see cref="ArrivalTimeMs"/> is
    /// StartTime + Sequence / EventsPerSecond.
    /// </summary>
    public long Sequence { get; init; }

    /// <summary>Ad index; its campaign is <c>AdIndex / AdsPerCampaign</c>.</summary>
    public int AdIndex { get; init; }

    public int CampaignIndex { get; init; }

    /// <summary>User index among humans, or among bots when <see cref="IsBot"/>.</summary>
    public int UserIndex { get; init; }

    /// <summary>The impression (served record and its views and clicks) this record belongs to; -1 in YSB mode for views and clicks.</summary>
    public long ImpressionId { get; init; }

    public bool IsBot { get; init; }

    /// <summary>A second copy of an earlier record (same bytes, same event_id).</summary>
    public bool IsDuplicate { get; init; }

    /// <summary>Sent <see cref="GeneratorOptions.Lateness"/> or more after its event time.</summary>
    public bool IsLate { get; init; }

    /// <summary>A view or click sent before its impression's ad-served record.</summary>
    public bool ArrivesBeforeServed { get; init; }

    public int PlacementIndex { get; init; }

    /// <summary>Score in thousandths (0..999), written as 0.xyz.</summary>
    public int ScoreMillis { get; init; }

    public long CostMicros { get; init; }

    internal ulong EventIdHigh { get; init; }
    internal ulong EventIdLow { get; init; }

    /// <summary>The topic this record goes to.</summary>
    public string Topic => Topics.ForKind(Kind);

    /// <summary>Score as written on the wire.</summary>
    public double Score => ScoreMillis / 1000.0;
}

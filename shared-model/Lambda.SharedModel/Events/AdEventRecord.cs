namespace Lambda.SharedModel.Events;

/// <summary>
/// An ad event as an ordinary object with strings: the form used by the generator, ingestion
/// tests and the batch layer. The speed layer's hot path decodes into <see cref="AdEvent"/> instead.
/// Campaign, advertiser, placement, score and cost are set only for <see cref="EventKind.Served"/>.
/// </summary>
public sealed record AdEventRecord
{
    public required EventKind Kind { get; init; }
    public required string EventId { get; init; }
    public required string AdId { get; init; }
    public string? CampaignId { get; init; }
    public string? AdvertiserId { get; init; }
    public required string UserId { get; init; }
    public required string Ip { get; init; }
    public required string UserAgent { get; init; }
    public string? Placement { get; init; }
    public double Score { get; init; }
    public long CostMicros { get; init; }

    /// <summary>Event time in Unix epoch milliseconds, UTC.</summary>
    public required long EventTimeMs { get; init; }
}

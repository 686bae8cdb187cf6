namespace Lambda.SharedModel.Codec;

/// <summary>The known fields of an ad event, in wire order; the value is the bit in a seen-mask.</summary>
internal enum EventField
{
    Unknown = -1,
    EventId = 0,
    AdId,
    CampaignId,
    AdvertiserId,
    UserId,
    Ip,
    UserAgent,
    Placement,
    Score,
    CostMicros,
    EventTime,
}

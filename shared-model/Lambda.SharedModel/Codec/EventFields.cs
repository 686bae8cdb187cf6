namespace Lambda.SharedModel.Codec;

/// <summary>The JSON field names of ad events on the wire (and the column names the batch layer uses).</summary>
public static class EventFields
{
    public const string EventId = "event_id";
    public const string AdId = "ad_id";
    public const string CampaignId = "campaign_id";
    public const string AdvertiserId = "advertiser_id";
    public const string UserId = "user_id";
    public const string Ip = "ip";
    public const string UserAgent = "user_agent";
    public const string Placement = "placement";
    public const string Score = "score";
    public const string CostMicros = "cost_micros";
    public const string EventTime = "event_time";
}

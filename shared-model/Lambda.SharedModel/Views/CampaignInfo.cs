namespace Lambda.SharedModel.Views;

/// <summary>A campaign and the advertiser that owns it, learned from ad-served records.</summary>
public sealed record CampaignInfo(string CampaignId, string AdvertiserId);

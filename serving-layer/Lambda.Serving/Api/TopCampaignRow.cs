namespace Lambda.Serving.Api;

/// <summary>One campaign of <see cref="TopCampaigns"/>.</summary>
public sealed record TopCampaignRow(string CampaignId, double Value);

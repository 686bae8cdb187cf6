using Lambda.SharedModel.Views;

namespace Lambda.Serving.Api;

/// <summary>The answer of <c>GET /v1/campaigns</c>.</summary>
public sealed record CampaignList(IReadOnlyList<CampaignInfo> Campaigns);

namespace Lambda.Serving.Api;

/// <summary>The answer of <c>GET /v1/campaigns/top</c>: campaigns by one metric, highest first.</summary>
public sealed record TopCampaigns(string Metric, DateTime From, DateTime To, IReadOnlyList<TopCampaignRow> Rows);

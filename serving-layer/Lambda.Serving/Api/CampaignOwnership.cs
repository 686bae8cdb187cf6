namespace Lambda.Serving.Api;

/// <summary>The body of <c>PUT /v1/campaigns/{id}/owner</c>: the advertiser the campaign moves to, and why.</summary>
public sealed record OwnerTransfer(string? AdvertiserId, string? Reason);

/// <summary>
/// The answer of <c>PUT /v1/campaigns/{id}/owner</c>: the owner that reads the campaign now, and every
/// advertiser whose served records count for it (first to current).
/// </summary>
public sealed record CampaignOwnership(string CampaignId, string Owner, IReadOnlyList<string> AcceptedOwners);

namespace Lambda.Speed.State;

/// <summary>A (campaign, minute bucket) of one partition's state.</summary>
internal readonly record struct WindowKey(int CampaignIndex, long BucketStartMs);

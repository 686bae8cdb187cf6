namespace Lambda.Speed.State;

/// <summary>A (campaign, minute bucket) of one partition's state.</summary>
internal readonly record struct WindowKey(int CampaignIndex, long BucketStartMs)
{
    /// <summary>Orders by bucket, then campaign: the canonical order of windows in a full checkpoint.</summary>
    public static IComparer<WindowKey> BucketOrder { get; } = Comparer<WindowKey>.Create(static (a, b) =>
    {
        var byBucket = a.BucketStartMs.CompareTo(b.BucketStartMs);
        return byBucket != 0 ? byBucket : a.CampaignIndex.CompareTo(b.CampaignIndex);
    });
}

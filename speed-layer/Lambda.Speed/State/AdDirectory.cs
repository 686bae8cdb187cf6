namespace Lambda.Speed.State;

/// <summary>
/// The ad→campaign map learned from ad-served records. An ad belongs to one campaign: the first
/// served record that names an ad fixes its campaign. About 40 bytes an ad.
/// </summary>
internal sealed class AdDirectory
{
    private readonly Dictionary<UInt128, int> _campaignByAd = [];

    public int Count => _campaignByAd.Count;

    /// <summary>Records the ad's campaign; returns false if the ad was already known.</summary>
    public bool Learn(UInt128 adHash, int campaignIndex) => _campaignByAd.TryAdd(adHash, campaignIndex);

    /// <summary>The campaign index of a known ad, or -1.</summary>
    public int Find(UInt128 adHash) => _campaignByAd.TryGetValue(adHash, out var index) ? index : -1;

    public IEnumerable<KeyValuePair<UInt128, int>> Entries => _campaignByAd;
}

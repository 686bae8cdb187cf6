namespace Lambda.Speed.State;

/// <summary>
/// The ad→campaign map learned from ad-served records. An ad belongs to one campaign: the first
/// served record that names an ad fixes its campaign. Ads are never forgotten, so the map is
/// append-only and also kept in insertion order: a checkpoint delta holds the ads past
/// <see cref="Checkpointed"/>. About 56 bytes an ad.
/// </summary>
internal sealed class AdDirectory
{
    private readonly Dictionary<UInt128, int> _campaignByAd = [];
    private readonly List<UInt128> _order = [];

    public int Count => _order.Count;

    /// <summary>How many ads (in insertion order) the last checkpoint holds.</summary>
    public int Checkpointed { get; private set; }

    /// <summary>Records the ad's campaign; returns false if the ad was already known.</summary>
    public bool Learn(UInt128 adHash, int campaignIndex)
    {
        if (!_campaignByAd.TryAdd(adHash, campaignIndex))
        {
            return false;
        }

        _order.Add(adHash);
        return true;
    }

    /// <summary>The campaign index of a known ad, or -1.</summary>
    public int Find(UInt128 adHash) => _campaignByAd.TryGetValue(adHash, out var index) ? index : -1;

    /// <summary>The ad at position <paramref name="index"/> of insertion order, with its campaign.</summary>
    public (UInt128 Ad, int CampaignIndex) this[int index] => (_order[index], _campaignByAd[_order[index]]);

    /// <summary>Notes that a checkpoint now holds every ad.</summary>
    public void MarkCheckpointed() => Checkpointed = _order.Count;
}

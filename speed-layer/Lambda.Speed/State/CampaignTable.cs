using System.Text;
using Lambda.SharedModel.Views;

namespace Lambda.Speed.State;

/// <summary>
/// Campaigns seen by one partition, by dense index. Strings are allocated once per campaign, on
/// first sight; after that a served record costs one hash and one dictionary probe.
/// </summary>
internal sealed class CampaignTable(CampaignOwners owners)
{
    private readonly Dictionary<UInt128, int> _byHash = [];
    private readonly List<CampaignInfo> _campaigns = [];
    private readonly List<byte[]> _idBytes = [];
    // Null for a campaign restored from a checkpoint until ResolveOwners.
    private readonly List<OwnerSet?> _owners = [];

    public int Count => _campaigns.Count;

    public CampaignInfo this[int index] => _campaigns[index];

    /// <summary>The campaign's index, adding it (owned by <paramref name="advertiserId"/>) if new.</summary>
    public int GetOrAdd(ReadOnlySpan<byte> campaignId, ReadOnlySpan<byte> advertiserId)
    {
        var hash = IdHash.Of128(campaignId);
        if (_byHash.TryGetValue(hash, out var index))
        {
            return index;
        }

        var claim = new CampaignInfo(Encoding.UTF8.GetString(campaignId), Encoding.UTF8.GetString(advertiserId));
        index = Add(hash, claim);
        _owners[index] = owners.Resolve(claim);
        return index;
    }

    /// <summary>Whether a served record of the campaign at <paramref name="index"/> naming <paramref name="advertiserId"/> counts.</summary>
    public bool Accepts(int index, ReadOnlySpan<byte> advertiserId) => _owners[index]!.Accepts(advertiserId);

    /// <summary>Looks up the owners of campaigns restored from a checkpoint, in one claim.</summary>
    public void ResolveOwners()
    {
        var unresolved = Enumerable.Range(0, _owners.Count).Where(i => _owners[i] is null).ToArray();
        var sets = owners.ResolveMany([.. unresolved.Select(i => _campaigns[i])]);
        for (var i = 0; i < unresolved.Length; i++)
        {
            _owners[unresolved[i]] = sets[i];
        }
    }

    /// <summary>Whether the campaign at <paramref name="index"/> has this id: a byte compare, cheaper than <see cref="GetOrAdd"/>'s hash and probe.</summary>
    public bool HasId(int index, ReadOnlySpan<byte> campaignId) => campaignId.SequenceEqual(_idBytes[index]);

    /// <summary>Restores a campaign from a checkpoint, at the next index.</summary>
    public int Add(CampaignInfo campaign) =>
        Add(IdHash.Of128(Encoding.UTF8.GetBytes(campaign.CampaignId)), campaign);

    private int Add(UInt128 hash, CampaignInfo campaign)
    {
        var index = _campaigns.Count;
        _byHash.Add(hash, index);
        _campaigns.Add(campaign);
        _idBytes.Add(Encoding.UTF8.GetBytes(campaign.CampaignId));
        _owners.Add(null);
        return index;
    }
}

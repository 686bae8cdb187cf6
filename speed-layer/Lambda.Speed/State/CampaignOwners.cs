using System.Collections.Concurrent;
using System.Text;
using Lambda.SharedModel.Views;

namespace Lambda.Speed.State;

/// <summary>
/// The accepted owners of every campaign this process has seen, shared by all its partitions. A
/// campaign's owner is set once, by the first claim the view store accepts (the first served record
/// anywhere), and grows only by an admin transfer; a served record naming any other advertiser is
/// dead-lettered, which the batch layer mirrors by leaving it out. Because the store decides and never
/// forgets, a replay after a crash judges every record as the first run did.
/// </summary>
internal sealed class CampaignOwners
{
    private readonly Func<IReadOnlyCollection<CampaignInfo>, IReadOnlyList<CampaignInfo>> _claim;
    private readonly ConcurrentDictionary<string, OwnerSet> _sets = new(StringComparer.Ordinal);

    /// <param name="claim">Claims campaigns and returns every accepted pair of them (<see cref="IViewStore.ClaimCampaignsAsync"/>).</param>
    public CampaignOwners(Func<IReadOnlyCollection<CampaignInfo>, IReadOnlyList<CampaignInfo>> claim) => _claim = claim;

    /// <summary>Owners decided in this process alone, first claim wins: for a processor run without a store (tests, benchmarks).</summary>
    public static CampaignOwners InProcess()
    {
        var first = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        return new CampaignOwners(claims => [.. claims.Select(c => c with { AdvertiserId = first.GetOrAdd(c.CampaignId, c.AdvertiserId) })]);
    }

    /// <summary>The owners of <paramref name="claim"/>'s campaign, claiming it for its advertiser if no one has.</summary>
    public OwnerSet Resolve(CampaignInfo claim) =>
        _sets.TryGetValue(claim.CampaignId, out var set) ? set : ResolveMany([claim])[0];

    /// <summary>As <see cref="Resolve"/> for many campaigns, with one claim for all those not known yet.</summary>
    public IReadOnlyList<OwnerSet> ResolveMany(IReadOnlyList<CampaignInfo> claims)
    {
        var missing = claims.Where(c => !_sets.ContainsKey(c.CampaignId)).DistinctBy(c => c.CampaignId).ToList();
        if (missing.Count > 0)
        {
            Apply(_claim(missing));
        }

        return [.. claims.Select(c => _sets.TryGetValue(c.CampaignId, out var set)
            ? set
            : throw new InvalidOperationException($"the view store returned no owner for claimed campaign '{c.CampaignId}'"))];
    }

    /// <summary>Takes in accepted pairs (a claim's answer, or the whole table after a transfer).</summary>
    public void Apply(IReadOnlyList<CampaignInfo> pairs)
    {
        foreach (var campaign in pairs.GroupBy(p => p.CampaignId, StringComparer.Ordinal))
        {
            var advertisers = campaign.Select(p => Encoding.UTF8.GetBytes(p.AdvertiserId)).ToArray();
            _sets.AddOrUpdate(campaign.Key, _ => new OwnerSet(advertisers), (_, set) => set.Replace(advertisers));
        }
    }
}

/// <summary>The advertisers whose served records count for one campaign (nearly always one). Updated in place by a transfer.</summary>
internal sealed class OwnerSet(byte[][] advertisers)
{
    private volatile byte[][] _advertisers = advertisers;

    public bool Accepts(ReadOnlySpan<byte> advertiserId)
    {
        foreach (var owner in _advertisers)
        {
            if (advertiserId.SequenceEqual(owner))
            {
                return true;
            }
        }

        return false;
    }

    public OwnerSet Replace(byte[][] advertisers)
    {
        _advertisers = advertisers;
        return this;
    }
}

using Lambda.SharedModel.Views;

namespace Lambda.Store.Postgres;

public sealed partial class PostgresViewStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<CampaignInfo>> ClaimCampaignsAsync(IReadOnlyCollection<CampaignInfo> claims, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claims);
        if (claims.Count == 0)
        {
            return [];
        }
        // The first claim of an id in the batch wins, as in SQLite.
        var first = claims.DistinctBy(c => c.CampaignId).ToArray();
        await using (var claim = Command(_sql.ClaimCampaigns))
        {
            Add(claim, first.Select(c => c.CampaignId).ToArray());
            Add(claim, first.Select(c => c.AdvertiserId).ToArray());
            await PostgresBrokenConnections.Guard(_dataSource, claim.ExecuteNonQueryAsync(cancellationToken)).ConfigureAwait(false);
        }
        await using var owners = Command(_sql.OwnersOfCampaigns);
        Add(owners, first.Select(c => c.CampaignId).ToArray());
        return await ReadAllAsync(owners, PostgresRows.Campaign, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> TransferCampaignAsync(string campaignId, string advertiserId, string changedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaignId);
        ArgumentNullException.ThrowIfNull(advertiserId);
        ArgumentNullException.ThrowIfNull(changedBy);
        await using var command = Command(_sql.TransferCampaign);
        Add(command, campaignId);
        Add(command, advertiserId);
        Add(command, changedBy);
        var moved = await PostgresBrokenConnections.Guard(_dataSource, command.ExecuteScalarAsync(cancellationToken)).ConfigureAwait(false);
        return moved is long n && n > 0;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CampaignInfo>> ReadCampaignOwnersAsync(CancellationToken cancellationToken = default)
    {
        await using var command = Command(_sql.ListCampaignOwners);
        return await ReadAllAsync(command, PostgresRows.Campaign, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<long> GetCampaignOwnerGenerationAsync(CancellationToken cancellationToken = default)
    {
        await using var command = Command(_sql.GetCampaignOwnerGeneration);
        return await PostgresBrokenConnections.Guard(_dataSource, command.ExecuteScalarAsync(cancellationToken)).ConfigureAwait(false) is long g ? g : 0L;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CampaignInfo>> ListCampaignsAsync(string? advertiserId, CancellationToken cancellationToken = default)
    {
        await using var command = Command(advertiserId is null ? _sql.ListCampaigns : _sql.ListCampaignsOfAdvertiser);
        if (advertiserId is not null)
        {
            Add(command, advertiserId);
        }
        return await ReadAllAsync(command, PostgresRows.Campaign, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<CampaignInfo?> GetCampaignAsync(string campaignId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaignId);
        await using var command = Command(_sql.GetCampaign);
        Add(command, campaignId);
        return await ReadSingleAsync(command, PostgresRows.Campaign, cancellationToken).ConfigureAwait(false);
    }
}

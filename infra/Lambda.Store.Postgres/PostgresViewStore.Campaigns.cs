using Lambda.SharedModel.Views;

namespace Lambda.Store.Postgres;

public sealed partial class PostgresViewStore
{
    /// <inheritdoc />
    public async Task UpsertCampaignsAsync(IReadOnlyCollection<CampaignInfo> campaigns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaigns);
        if (campaigns.Count == 0)
        {
            return;
        }
        // ON CONFLICT may touch a row once per statement: the last of duplicate ids wins, as in SQLite.
        var latest = new Dictionary<string, string>(campaigns.Count, StringComparer.Ordinal);
        foreach (var campaign in campaigns)
        {
            latest[campaign.CampaignId] = campaign.AdvertiserId;
        }
        await using var command = Command(_sql.UpsertCampaigns);
        Add(command, latest.Keys.ToArray());
        Add(command, latest.Values.ToArray());
        await PostgresBrokenConnections.Guard(_dataSource, command.ExecuteNonQueryAsync(cancellationToken)).ConfigureAwait(false);
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

using Lambda.SharedModel.Views;
using Microsoft.Data.Sqlite;

namespace Lambda.Store.Sqlite;

public sealed partial class SqliteViewStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<CampaignInfo>> ClaimCampaignsAsync(IReadOnlyCollection<CampaignInfo> claims, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claims);
        if (claims.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<CampaignInfo>>([]);
        }
        return WriteAsync<IReadOnlyList<CampaignInfo>>((session, transaction) =>
        {
            var claim = session.Command(SqliteSql.ClaimCampaign, transaction);
            var owners = session.Command(SqliteSql.ListOwnersOfCampaign, transaction);
            var accepted = new List<CampaignInfo>();
            foreach (var campaign in claims.DistinctBy(c => c.CampaignId))
            {
                claim.Parameters[0].Value = campaign.CampaignId;
                claim.Parameters[1].Value = campaign.AdvertiserId;
                if (claim.ExecuteNonQuery() == 1)
                {
                    AddOwner(session, transaction, campaign, "first served record");
                }
                owners.Parameters[0].Value = campaign.CampaignId;
                accepted.AddRange(ReadAll(owners, SqliteRows.Campaign));
            }
            return accepted;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> TransferCampaignAsync(string campaignId, string advertiserId, string changedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaignId);
        ArgumentNullException.ThrowIfNull(advertiserId);
        ArgumentNullException.ThrowIfNull(changedBy);
        return WriteAsync((session, transaction) =>
        {
            var set = session.Command(SqliteSql.SetCampaignOwner, transaction);
            set.Parameters[0].Value = campaignId;
            set.Parameters[1].Value = advertiserId;
            if (set.ExecuteNonQuery() == 0)
            {
                return false;
            }
            AddOwner(session, transaction, new CampaignInfo(campaignId, advertiserId), changedBy);
            session.Command(SqliteSql.BumpCampaignOwnerGeneration, transaction).ExecuteNonQuery();
            // Who may read the campaign changed: cached answers must not outlive it.
            BumpGeneration(session, transaction);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<CampaignInfo>> ReadCampaignOwnersAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<CampaignInfo>>(Read(snapshot: false,
            (session, _) => ReadAll(session.Command(SqliteSql.ListCampaignOwners, null), SqliteRows.Campaign), cancellationToken));

    /// <inheritdoc />
    public Task<long> GetCampaignOwnerGenerationAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(Read(snapshot: false,
            (session, _) => session.Command(SqliteSql.GetCampaignOwnerGeneration, null).ExecuteScalar() is long g ? g : 0L, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyList<CampaignInfo>> ListCampaignsAsync(string? advertiserId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<CampaignInfo>>(Read(snapshot: false, (session, _) =>
        {
            if (advertiserId is null)
            {
                return ReadAll(session.Command(SqliteSql.ListCampaigns, null), SqliteRows.Campaign);
            }
            var command = session.Command(SqliteSql.ListCampaignsOfAdvertiser, null);
            command.Parameters[0].Value = advertiserId;
            return ReadAll(command, SqliteRows.Campaign);
        }, cancellationToken));

    /// <inheritdoc />
    public Task<CampaignInfo?> GetCampaignAsync(string campaignId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaignId);
        return Task.FromResult(Read(snapshot: false, (session, _) =>
        {
            var command = session.Command(SqliteSql.GetCampaign, null);
            command.Parameters[0].Value = campaignId;
            return ReadSingle(command, SqliteRows.Campaign);
        }, cancellationToken));
    }

    private static void AddOwner(SqliteSession session, SqliteTransaction transaction, CampaignInfo pair, string changedBy)
    {
        var add = session.Command(SqliteSql.AddCampaignOwner, transaction);
        add.Parameters[0].Value = pair.CampaignId;
        add.Parameters[1].Value = pair.AdvertiserId;
        add.Parameters[2].Value = changedBy;
        add.ExecuteNonQuery();
    }
}

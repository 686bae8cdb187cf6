using Lambda.SharedModel.Views;

namespace Lambda.Store.Sqlite;

public sealed partial class SqliteViewStore
{
    /// <inheritdoc />
    public Task UpsertCampaignsAsync(IReadOnlyCollection<CampaignInfo> campaigns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaigns);
        if (campaigns.Count == 0)
        {
            return Task.CompletedTask;
        }
        return WriteAsync((session, transaction) =>
        {
            var command = session.Command(SqliteSql.UpsertCampaign, transaction);
            foreach (var campaign in campaigns)
            {
                command.Parameters[0].Value = campaign.CampaignId;
                command.Parameters[1].Value = campaign.AdvertiserId;
                command.ExecuteNonQuery();
            }
            return 0;
        }, cancellationToken);
    }

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
}

using Lambda.SharedModel.Views;

namespace Lambda.Store.Tests;

public abstract partial class ViewStoreContract
{
    [SkippableFact]
    public async Task initializing_twice_and_from_a_second_store_keeps_the_data()
    {
        await Store.ClaimCampaignsAsync([new CampaignInfo("c1", "a1")]);
        await Store.InitializeAsync();
        var other = await OpenAnotherStoreAsync();

        Assert.Equal(new CampaignInfo("c1", "a1"), await other.GetCampaignAsync("c1"));
        Assert.Equal(new CampaignInfo("c1", "a1"), await Store.GetCampaignAsync("c1"));
    }

    [SkippableFact]
    public async Task campaigns_are_listed_by_id_filtered_by_advertiser_and_fetched_one_by_one()
    {
        await Store.ClaimCampaignsAsync([new("c3", "a2"), new("c1", "a1"), new("c2", "a1")]);

        Assert.Equal([new("c1", "a1"), new("c2", "a1"), new("c3", "a2")], await Store.ListCampaignsAsync(null));
        Assert.Equal([new("c1", "a1"), new("c2", "a1")], await Store.ListCampaignsAsync("a1"));
        Assert.Empty(await Store.ListCampaignsAsync("nobody"));
        Assert.Equal(new CampaignInfo("c3", "a2"), await Store.GetCampaignAsync("c3"));
        Assert.Null(await Store.GetCampaignAsync("c4"));
    }

    [SkippableFact]
    public async Task the_first_claim_of_a_campaign_wins_and_a_later_claim_cannot_move_it()
    {
        Assert.Equal([new("c1", "a1"), new("c2", "a1")], await Store.ClaimCampaignsAsync([new("c1", "a1"), new("c2", "a1")]));
        await Store.ClaimCampaignsAsync([new("c1", "a1"), new("c2", "a1")]);

        // Another advertiser's claim (a misconfigured producer) is answered with the real owner.
        Assert.Equal([new CampaignInfo("c2", "a1")], await Store.ClaimCampaignsAsync([new("c2", "a9")]));
        Assert.Equal([new("c1", "a1"), new("c2", "a1")], await Store.ListCampaignsAsync(null));
        Assert.Empty(await Store.ListCampaignsAsync("a9"));
        Assert.Equal([new("c1", "a1"), new("c2", "a1")], await Store.ReadCampaignOwnersAsync());
        // Two claims of one new campaign in one call: the first wins.
        Assert.Equal([new CampaignInfo("c3", "a3")], await Store.ClaimCampaignsAsync([new("c3", "a3"), new("c3", "a4")]));
    }

    [SkippableFact]
    public async Task a_transfer_moves_who_reads_the_campaign_and_adds_an_accepted_owner()
    {
        await Store.ClaimCampaignsAsync([new("c1", "a1"), new("c2", "a1")]);
        var generation = await Store.GetCampaignOwnerGenerationAsync();
        var views = await Store.GetViewGenerationAsync();

        Assert.True(await Store.TransferCampaignAsync("c2", "a2", "admin key k1"));
        Assert.False(await Store.TransferCampaignAsync("nope", "a2", "admin key k1"));

        Assert.Equal(new CampaignInfo("c2", "a2"), await Store.GetCampaignAsync("c2"));
        Assert.Equal([new CampaignInfo("c1", "a1")], await Store.ListCampaignsAsync("a1"));
        Assert.Equal([new("c1", "a1"), new("c2", "a1"), new("c2", "a2")], await Store.ReadCampaignOwnersAsync());
        Assert.Equal([new("c2", "a1"), new("c2", "a2")], await Store.ClaimCampaignsAsync([new("c2", "a9")]));
        Assert.NotEqual(generation, await Store.GetCampaignOwnerGenerationAsync());
        Assert.NotEqual(views, await Store.GetViewGenerationAsync());
        // Seen from a second store (another process) alike.
        var other = await OpenAnotherStoreAsync();
        Assert.Equal(await Store.ReadCampaignOwnersAsync(), await other.ReadCampaignOwnersAsync());
    }

    [SkippableFact]
    public async Task ids_with_quotes_unicode_and_sql_are_stored_literally()
    {
        string[] ids =
        [
            "O'Brien \"quoted\" `tick`",
            "'; DROP TABLE campaigns; --",
            "\" OR 1=1 --",
            "кампания-日本-🚀",
            "back\\slash%_wild*",
            "  spaces  ",
        ];
        await Store.ClaimCampaignsAsync(ids.Select(id => new CampaignInfo(id, id + "/adv")).ToArray());
        await Store.UpsertSpeedRowsAsync(ids.Select(id => ViewRows.Speed(id, 0, 0, id.Length)).ToArray());

        var listed = await Store.ListCampaignsAsync(null);
        Assert.Equal(ids.Order(StringComparer.Ordinal), listed.Select(c => c.CampaignId));
        foreach (var id in ids)
        {
            Assert.Equal(new CampaignInfo(id, id + "/adv"), await Store.GetCampaignAsync(id));
            Assert.Equal([new CampaignInfo(id, id + "/adv")], await Store.ListCampaignsAsync(id + "/adv"));
            var speed = Assert.Single(await Store.ReadSpeedRowsAsync(id, ViewRows.T0, ViewRows.T0 + ViewRows.Minute));
            Assert.Equal(id, speed.CampaignId);
            Assert.Equal(id.Length, speed.Counts.Impressions);
        }
    }
}

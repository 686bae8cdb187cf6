using Lambda.SharedModel.Views;
using Lambda.Store.Sqlite;

namespace Lambda.Cli.Tests;

public sealed class CampaignsCommandTests
{
    [Fact]
    public async Task transfer_moves_a_campaign_and_owners_lists_its_history()
    {
        using var dir = new TempDirectory();
        await using (var store = new SqliteViewStore(Path.Combine(dir.Path, "views.db")))
        {
            await store.InitializeAsync();
            await store.ClaimCampaignsAsync([new CampaignInfo("camp-1", "adv-1"), new CampaignInfo("camp-2", "adv-2")]);
        }

        var (code, output, error) = await CliRunner.RunAsync("campaigns", "transfer", "camp-1", "--to", "adv-9", "--reason", "merger", "--data-dir", dir.Path);
        Assert.True(code == 0, error);
        Assert.Contains("camp-1 now belongs to adv-9", output, StringComparison.Ordinal);

        (code, output, error) = await CliRunner.RunAsync("campaigns", "owners", "--data-dir", dir.Path);
        Assert.True(code == 0, error);
        Assert.Matches(@"camp-1\s+adv-1 -> adv-9", output);
        Assert.Matches(@"camp-2\s+adv-2\s*$", output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[2]);

        (code, _, error) = await CliRunner.RunAsync("campaigns", "transfer", "nope", "--to", "adv-9", "--data-dir", dir.Path);
        Assert.Equal(1, code);
        Assert.Contains("error: campaign 'nope' is not known", error, StringComparison.Ordinal);
        (code, _, error) = await CliRunner.RunAsync("campaigns", "transfer", "camp-1", "--data-dir", dir.Path);
        Assert.Equal(2, code);
        Assert.Contains("--to", error, StringComparison.Ordinal);
    }
}

using System.CommandLine;
using Lambda.Cli.CommandLine;

namespace Lambda.Cli.Commands;

/// <summary>
/// `lambda campaigns owners|transfer`: who owns each campaign. The first served record of a campaign
/// sets its owner; a producer can never move it. An operator moves one here, and the store keeps the
/// transfer in the campaign's owner history.
/// </summary>
internal static class CampaignsCommand
{
    public static Command Create(PlatformOptions platform)
    {
        var command = new Command("campaigns", "Campaign ownership: list the accepted owners, or transfer a campaign to another advertiser.");
        command.Subcommands.Add(Owners(platform));
        command.Subcommands.Add(Transfer(platform));
        return command;
    }

    private static Command Owners(PlatformOptions platform)
    {
        var command = new Command("owners", "Every campaign's accepted owners, first (the one its first served record named) to last (the current one).");
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using var store = await platform.OpenStoreAsync(parsed, cancellationToken).ConfigureAwait(false);
            var output = parsed.InvocationConfiguration.Output;
            await output.WriteLineAsync($"{"campaign_id",-40} owners (first to current)").ConfigureAwait(false);
            foreach (var campaign in (await store.ReadCampaignOwnersAsync(cancellationToken).ConfigureAwait(false)).GroupBy(p => p.CampaignId))
            {
                await output.WriteLineAsync($"{campaign.Key,-40} {string.Join(" -> ", campaign.Select(p => p.AdvertiserId))}").ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Transfer(PlatformOptions platform)
    {
        var campaign = new Argument<string>("campaign") { Description = "The campaign id." };
        var to = new Option<string>("--to") { Description = "The advertiser that owns the campaign from now on.", Required = true };
        var reason = new Option<string?>("--reason") { Description = "Why, kept in the owner history." };
        var command = new Command("transfer",
            "Move a campaign to another advertiser: it reads the campaign's whole history from now on, and its served records count " +
            "(the former owners' still do, so nothing counted before is lost).") { campaign, to, reason };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var campaignId = parsed.GetValue(campaign)!;
            var advertiserId = parsed.GetValue(to)!;
            if (string.IsNullOrWhiteSpace(advertiserId))
            {
                throw new UsageException("--to must name an advertiser");
            }
            await using var store = await platform.OpenStoreAsync(parsed, cancellationToken).ConfigureAwait(false);
            var changedBy = "lambda campaigns transfer" + (parsed.GetValue(reason) is { Length: > 0 } why ? ": " + why : "");
            if (!await store.TransferCampaignAsync(campaignId, advertiserId, changedBy, cancellationToken).ConfigureAwait(false))
            {
                await parsed.InvocationConfiguration.Error.WriteLineAsync($"error: campaign '{campaignId}' is not known").ConfigureAwait(false);
                return ExitCodes.Failed;
            }
            await parsed.InvocationConfiguration.Output.WriteLineAsync($"campaign {campaignId} now belongs to {advertiserId}").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}

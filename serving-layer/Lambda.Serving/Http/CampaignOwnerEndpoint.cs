using System.Text.Json;
using Lambda.Serving.Access;
using Lambda.Serving.Api;
using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Views;
using Microsoft.AspNetCore.Http;

namespace Lambda.Serving.Http;

/// <summary>
/// <c>PUT /v1/campaigns/{id}/owner</c> (admin keys only): the admin action that moves a campaign to
/// another advertiser, as <c>lambda campaigns transfer</c> does. No producer can: a campaign's owner is
/// set by its first served record. The store keeps the transfer, with the key that made it, in the
/// campaign's owner history.
/// </summary>
internal static class CampaignOwnerEndpoint
{
    private const int MaxReasonLength = 500;

    public static async Task<IResult> HandleAsync(string id, HttpContext context, IViewStore store)
    {
        OwnerTransfer? transfer;
        try
        {
            transfer = await JsonSerializer.DeserializeAsync(context.Request.Body, ServingJsonContext.Default.OwnerTransfer,
                context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            return Problems.BadField("body", "expected a JSON object {\"advertiser_id\": \"...\", \"reason\": \"...\"}: " + ex.Message);
        }

        if (transfer?.AdvertiserId is not { } advertiser || string.IsNullOrWhiteSpace(advertiser)
            || System.Text.Encoding.UTF8.GetByteCount(advertiser) > EventDecoder.MaxIdBytes)
        {
            return Problems.BadField("advertiser_id", $"give the advertiser the campaign moves to (1 to {EventDecoder.MaxIdBytes} bytes)");
        }

        if (transfer.Reason is { Length: > MaxReasonLength })
        {
            return Problems.BadField("reason", $"at most {MaxReasonLength} characters");
        }

        var changedBy = $"admin key {context.Caller().KeyId}" + (string.IsNullOrWhiteSpace(transfer.Reason) ? "" : ": " + transfer.Reason);
        if (!await store.TransferCampaignAsync(id, advertiser, changedBy, context.RequestAborted).ConfigureAwait(false))
        {
            return Problems.CampaignNotFound(id);
        }

        var accepted = (await store.ReadCampaignOwnersAsync(context.RequestAborted).ConfigureAwait(false))
            .Where(p => p.CampaignId == id).Select(p => p.AdvertiserId).ToList();
        return TypedResults.Json(new CampaignOwnership(id, advertiser, accepted), ServingJsonContext.Default.CampaignOwnership);
    }
}

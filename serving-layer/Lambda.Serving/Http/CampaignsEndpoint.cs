using Lambda.Serving.Access;
using Lambda.Serving.Api;
using Lambda.SharedModel.Views;
using Microsoft.AspNetCore.Http;

namespace Lambda.Serving.Http;

/// <summary><c>GET /v1/campaigns</c>: the caller's campaigns (every campaign for admin).</summary>
internal static class CampaignsEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, IViewStore store)
    {
        var caller = context.Caller();
        var campaigns = await store.ListCampaignsAsync(caller.IsAdmin ? null : caller.AdvertiserId, context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(new CampaignList(campaigns));
    }
}

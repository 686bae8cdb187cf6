using Lambda.Serving.Http;
using Microsoft.AspNetCore.Http;

namespace Lambda.Serving.Access;

/// <summary>
/// Authenticates every endpoint marked with <see cref="RequiresApiKey"/>: the key comes from a header,
/// never from the query string (<see cref="PresentedKey"/>). Runs after routing and before the rate
/// limiter, which partitions by the caller it sets.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, AccessDirectory directory)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.GetEndpoint()?.Metadata.GetMetadata<RequiresApiKey>() is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (PresentedKey.InQuery(context.Request) is { } name)
        {
            await Problems.Write(context, StatusCodes.Status400BadRequest, "API key in the query string", PresentedKey.InQueryDetail(name),
                field: name).ConfigureAwait(false);
            return;
        }

        var presented = PresentedKey.FromHeaders(context.Request);
        if (string.IsNullOrEmpty(presented))
        {
            await Unauthorized(context, "No API key: send 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.").ConfigureAwait(false);
            return;
        }

        var authentication = await directory.AuthenticateAsync(presented, context.RequestAborted).ConfigureAwait(false);
        if (authentication.Throttled)
        {
            await Problems.TooManyFailedAuthentications(context).ConfigureAwait(false);
            return;
        }
        var caller = authentication.Caller;
        if (caller is null)
        {
            await Unauthorized(context, "The API key is unknown or revoked.").ConfigureAwait(false);
            return;
        }

        if (context.GetEndpoint()!.Metadata.GetMetadata<RequiresApiKey>()!.AdminOnly && !caller.IsAdmin)
        {
            await Problems.Write(context, StatusCodes.Status403Forbidden, "Forbidden", "This endpoint needs an admin key.").ConfigureAwait(false);
            return;
        }

        context.Features.Set(caller);
        await next(context).ConfigureAwait(false);
    }

    internal static Task Unauthorized(HttpContext context, string detail)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.Write(context, StatusCodes.Status401Unauthorized, "Unauthorized", detail);
    }
}

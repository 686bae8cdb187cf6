using Microsoft.AspNetCore.Http;

namespace Lambda.Serving.Access;

/// <summary>The authenticated <see cref="Caller"/> of a request.</summary>
public static class CallerExtensions
{
    /// <summary>The caller set by <see cref="ApiKeyMiddleware"/>; throws on an endpoint without <see cref="RequiresApiKey"/>.</summary>
    public static Caller Caller(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<Caller>() ?? throw new InvalidOperationException("the endpoint does not require an API key");
    }
}

using Microsoft.AspNetCore.Http;

namespace Lambda.Serving.Http;

/// <summary>
/// Headers every response carries, whatever wrote it (an endpoint, the static files, the status
/// code pages, the exception handler, which clears headers set earlier: hence set when the response
/// starts). The dashboard loads only its own scripts and styles (no inline code, no third party), so
/// a strict Content-Security-Policy costs it nothing and stops injected script; no page may frame it.
/// API answers are never stored by a cache: keyed answers are one advertiser's data.
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    /// <summary>
    /// Only the dashboard's own files; <c>data:</c> images for its empty favicon; fetches to this origin
    /// (the API). Scripts set element styles through the CSSOM, which a policy does not restrict.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            if (http.Request.Path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase))
            {
                headers.CacheControl = "no-store";
            }
            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}

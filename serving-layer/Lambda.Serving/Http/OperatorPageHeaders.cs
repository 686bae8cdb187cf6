using Microsoft.AspNetCore.Http;

namespace Lambda.Serving.Http;

/// <summary>
/// The security headers of an operator page: its own Content-Security-Policy, no framing, no sniffing,
/// no referrer, and no caching (the pages show the platform's internals). Set when the response starts,
/// whatever wrote it.
/// </summary>
internal sealed class OperatorPageHeaders(RequestDelegate next, string contentSecurityPolicy)
{
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.ContentSecurityPolicy = contentSecurityPolicy;
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.CacheControl = "no-store";
            return Task.CompletedTask;
        });
        return next(context);
    }
}

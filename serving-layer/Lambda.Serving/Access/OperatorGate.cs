using Lambda.Serving.Http;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;

namespace Lambda.Serving.Access;

/// <summary>
/// Lets only admin API keys into an operator page: no key or an unknown one is a 401 (a browser gets a
/// sign-in form), any other key a 404, as if the page did not exist. A browser cannot add a header to
/// the page's own script, style and XHR requests, so a key given once (the form, or a header) is kept in
/// a cookie scoped to the page's path: HttpOnly, SameSite=Strict, holding the key encrypted with a key
/// that lives as long as the process. Every request is authenticated again through the same
/// <see cref="AccessDirectory"/> as the API, so revoking the key locks the operator out. Requests that
/// change something (POST) must come from the page's own origin.
/// </summary>
public sealed class OperatorGate(RequestDelegate next, AccessDirectory directory)
{
    /// <summary>The cookie that carries the key.</summary>
    public const string CookieName = "lambda_operator";

    /// <summary>The form the sign-in page posts to, under the page's path.</summary>
    public const string SignInPath = "/sign-in";

    private static readonly IDataProtector Protector = new EphemeralDataProtectionProvider().CreateProtector("Lambda.Serving.OperatorGate");

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (PresentedKey.InQuery(request) is { } name)
        {
            await Problems.Write(context, StatusCodes.Status400BadRequest, "API key in the query string", PresentedKey.InQueryDetail(name), field: name)
                .ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !FromOwnOrigin(request))
        {
            await Problems.Write(context, StatusCodes.Status403Forbidden, "Forbidden", "A change to an operator page must come from the page itself.")
                .ConfigureAwait(false);
            return;
        }

        var signingIn = HttpMethods.IsPost(request.Method) && request.Path.Equals(SignInPath, StringComparison.Ordinal);
        var fromHeader = PresentedKey.FromHeaders(request);
        var key = signingIn ? await FormKeyAsync(request).ConfigureAwait(false) : fromHeader ?? CookieKey(request);
        if (string.IsNullOrEmpty(key))
        {
            await RefuseAsync(context, "No API key: sign in with an admin key, or send 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.")
                .ConfigureAwait(false);
            return;
        }

        var authentication = await directory.AuthenticateAsync(key, context.RequestAborted).ConfigureAwait(false);
        if (authentication.Throttled)
        {
            await Problems.TooManyFailedAuthentications(context).ConfigureAwait(false);
            return;
        }

        var caller = authentication.Caller;
        if (caller is null)
        {
            context.Response.Cookies.Delete(CookieName, CookieOptions(context));
            await RefuseAsync(context, "The API key is unknown or revoked.").ConfigureAwait(false);
            return;
        }

        if (!caller.IsAdmin)
        {
            await Problems.Write(context, StatusCodes.Status404NotFound, "Not found", "No such page.").ConfigureAwait(false);
            return;
        }

        if (signingIn || fromHeader is not null)
        {
            context.Response.Cookies.Append(CookieName, Protector.Protect(key), CookieOptions(context));
        }

        if (signingIn)
        {
            context.Response.Redirect(request.PathBase + "/");
            context.Response.StatusCode = StatusCodes.Status303SeeOther;
            return;
        }

        context.Features.Set(caller);
        await next(context).ConfigureAwait(false);
    }

    private static async Task<string?> FormKeyAsync(HttpRequest request)
    {
        if (!request.HasFormContentType)
        {
            return null;
        }
        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        return form["key"].ToString().Trim();
    }

    private static string? CookieKey(HttpRequest request)
    {
        if (!request.Cookies.TryGetValue(CookieName, out var sealedKey) || string.IsNullOrEmpty(sealedKey))
        {
            return null;
        }
        try
        {
            return Protector.Unprotect(sealedKey);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // Sealed by an earlier process (the protection key lives only as long as the process): sign in again.
            return null;
        }
    }

    /// <summary>
    /// True unless a browser says the request comes from another site. Sec-Fetch-Site first: the pages
    /// send no referrer, so a browser's form posts carry "Origin: null". A client sending neither header
    /// is not a browser, and cross-site forgery needs one.
    /// </summary>
    private static bool FromOwnOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return site == "same-origin";
        }
        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0 || string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }

    private static CookieOptions CookieOptions(HttpContext context) => new()
    {
        Path = context.Request.PathBase.HasValue ? context.Request.PathBase.Value : "/",
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        IsEssential = true,
    };

    private static async Task RefuseAsync(HttpContext context, string detail)
    {
        if (HttpMethods.IsGet(context.Request.Method) && context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(SignInPage.Html(context.Request.PathBase + SignInPath, detail), context.RequestAborted).ConfigureAwait(false);
            return;
        }
        await ApiKeyMiddleware.Unauthorized(context, detail).ConfigureAwait(false);
    }
}

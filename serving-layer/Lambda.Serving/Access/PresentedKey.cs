using Microsoft.AspNetCore.Http;

namespace Lambda.Serving.Access;

/// <summary>
/// Where a request may carry an API key: <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-Api-Key</c>, never
/// the query string (a URL ends up in logs and browser history, so a key there is refused even when a
/// header is also sent). Shared by the API (<see cref="ApiKeyMiddleware"/>) and the operator pages
/// (<see cref="OperatorGate"/>), which also take it from their sign-in cookie.
/// </summary>
public static class PresentedKey
{
    private static readonly string[] QueryKeyNames = ["api_key", "apikey", "key", "access_token", "token"];

    /// <summary>The query parameter that looks like a key, if the request has one (the request is then refused).</summary>
    public static string? InQuery(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return QueryKeyNames.FirstOrDefault(request.Query.ContainsKey);
    }

    /// <summary>The problem detail of a key in the query string.</summary>
    public static string InQueryDetail(string name) =>
        $"API keys are not accepted in the query string (parameter '{name}'): send 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.";

    /// <summary>The key in the request's headers, or null.</summary>
    public static string? FromHeaders(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers["X-Api-Key"].ToString();
        if (header.Length > 0)
        {
            return header.Trim();
        }
        var authorization = request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        return authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) ? authorization[Bearer.Length..].Trim() : null;
    }
}

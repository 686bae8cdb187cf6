using System.Globalization;
using System.Net;
using System.Text;
using Lambda.Store.Sqlite;

namespace Lambda.Serving.Tests.Http;

/// <summary>What the event log fault tests share: an admin key in a fresh SQLite store, a body of view events, and the refusal they expect.</summary>
internal static class EventPosts
{
    /// <summary>Creates the view store and key store in <paramref name="directory"/>/views.db and an admin key.</summary>
    public static async Task<(SqliteViewStore Store, SqliteApiKeyStore Keys, string Admin)> OpenStoresAsync(string directory)
    {
        var store = new SqliteViewStore(Path.Combine(directory, "views.db"));
        await store.InitializeAsync();
        var keys = new SqliteApiKeyStore(Path.Combine(directory, "views.db"));
        await keys.InitializeAsync();
        var admin = Lambda.SharedModel.Access.ApiKeys.NewKey();
        await keys.CreateAsync(Lambda.SharedModel.Access.ApiKeys.NewRecord(admin, null, DateTimeOffset.UtcNow));
        return (store, keys, admin);
    }

    /// <summary>A JSON array of <paramref name="count"/> valid view events stamped now (event ids e0, e1, ...).</summary>
    public static StringContent Views(int count)
    {
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var body = "[" + string.Join(",", Enumerable.Range(0, count).Select(i =>
            $$"""{"type":"view","event_id":"e{{i}}","ad_id":"ad{{i % 7}}","user_id":"u1","ip":"10.0.0.1","user_agent":"Mozilla/5.0","event_time":"{{now}}"}""")) + "]";
        return new StringContent(body, Encoding.UTF8, "application/json");
    }

    /// <summary>A 503 ProblemDetails with Retry-After whose body names <paramref name="cause"/>.</summary>
    public static async Task AssertUnavailableAsync(HttpResponseMessage refused, string cause)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains(cause, await refused.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}

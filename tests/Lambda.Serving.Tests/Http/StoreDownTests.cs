using System.Net;
using Lambda.Store.Sqlite;

namespace Lambda.Serving.Tests.Http;

public class StoreDownTests
{
    [Fact]
    public async Task an_unreachable_store_is_503_with_retry_after()
    {
        // A database in a directory that does not exist cannot even be opened.
        var path = Path.Combine(Path.GetTempPath(), "lambda-missing-" + Guid.NewGuid().ToString("N"), "views.db");
        await using var store = new SqliteViewStore(path);
        await using var keys = new SqliteApiKeyStore(path);
        await using var factory = new ServingFactory(store, keys, null, ServingFactory.TestOptions());
        var client = factory.CreateClient();
        // Well-formed, so it is looked up (a malformed key is refused by its shape alone).
        client.DefaultRequestHeaders.Authorization = new("Bearer", Lambda.SharedModel.Access.ApiKeys.NewKey());

        var response = await client.GetAsync("/v1/campaigns");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}

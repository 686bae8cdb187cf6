using System.Net.Http.Headers;
using System.Text.Json;
using Lambda.Serving.Http;

namespace Lambda.Serving.Tests.Http;

/// <summary>A seeded world and the host over it, fresh for each test.</summary>
public abstract class ApiTest : IAsyncLifetime
{
    private ServingFactory? _factory;

    protected ServingWorld World { get; private set; } = null!;

    protected virtual bool Seed => true;

    protected virtual ServingOptions Options => ServingFactory.TestOptions();

    /// <summary>The host's services (its singletons: the access directory, the event sink, ...).</summary>
    protected IServiceProvider Services => _factory!.Services;

    protected HttpClient Client(string? bearer = null)
    {
        var client = _factory!.CreateClient();
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return client;
    }

    protected static async Task<JsonElement> JsonOf(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    protected static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    protected static string Metrics(string campaign, long from, long to, string granularity) =>
        $"/v1/campaigns/{campaign}/metrics?from={Iso(from)}&to={Iso(to)}&granularity={granularity}";

    public async Task InitializeAsync()
    {
        World = await ServingWorld.CreateAsync(Seed);
        _factory = new ServingFactory(World.Store, World.Keys, World.Log, Options);
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
        await World.DisposeAsync();
    }
}

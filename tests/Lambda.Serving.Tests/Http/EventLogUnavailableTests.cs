using System.Net;
using System.Text;
using Lambda.Log.Embedded;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;
using Lambda.Store.Sqlite;

namespace Lambda.Serving.Tests.Http;

/// <summary>
/// POST /v1/events while the log cannot acknowledge (a Kafka outage: deliveries time out): 503 with
/// Retry-After and nothing appended; once it can again, the same request is 202 and lands each event once.
/// The real outage, on a real cluster, is KafkaFaultTests (tests/Lambda.Cli.Tests).
/// </summary>
public sealed class EventLogUnavailableTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "lambda-serving-outage-" + Guid.NewGuid().ToString("N"));

    public EventLogUnavailableTests() => Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task an_unacknowledged_delivery_is_a_503_with_retry_after_and_the_retry_lands_each_event_once()
    {
        await using var store = new SqliteViewStore(Path.Combine(_directory, "views.db"));
        await store.InitializeAsync();
        await using var keys = new SqliteApiKeyStore(Path.Combine(_directory, "views.db"));
        await keys.InitializeAsync();
        var admin = Lambda.SharedModel.Access.ApiKeys.NewKey();
        await keys.CreateAsync(Lambda.SharedModel.Access.ApiKeys.NewRecord(admin, null, DateTimeOffset.UtcNow));
        await using var embedded = EmbeddedEventLog.Open(new EmbeddedLogOptions { RootPath = Path.Combine(_directory, "log") });
        foreach (var topic in Topics.All)
        {
            await embedded.CreateTopicAsync(topic, 1);
        }

        var log = new UnreachableLog(embedded) { Down = true };
        await using var factory = new ServingFactory(store, keys, log, ServingFactory.TestOptions());
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", admin);
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var body = "[" + string.Join(",", Enumerable.Range(0, 20).Select(i =>
            $$"""{"type":"view","event_id":"e{{i}}","ad_id":"ad{{i % 3}}","user_id":"u1","ip":"10.0.0.1","user_agent":"Mozilla/5.0","event_time":"{{now}}"}""")) + "]";

        var refused = await client.PostAsync("/v1/events", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Local_MsgTimedOut", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, (await embedded.GetOffsetsAsync(new TopicPartition(Topics.Views, 0))).End);

        log.Down = false;
        var accepted = await client.PostAsync("/v1/events", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(20, (await embedded.GetOffsetsAsync(new TopicPartition(Topics.Views, 0))).End);
    }
}

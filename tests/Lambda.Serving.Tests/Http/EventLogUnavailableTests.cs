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
        var (store, keys, admin) = await EventPosts.OpenStoresAsync(_directory);
        await using var _ = store;
        await using var __ = keys;
        await using var embedded = EmbeddedEventLog.Open(new EmbeddedLogOptions { RootPath = Path.Combine(_directory, "log") });
        foreach (var topic in Topics.All)
        {
            await embedded.CreateTopicAsync(topic, 1);
        }

        var log = new UnreachableLog(embedded) { Down = true };
        await using var factory = new ServingFactory(store, keys, log, ServingFactory.TestOptions());
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", admin);
        client.DefaultRequestHeaders.Add("X-Request-Id", "outage-1");

        var refused = await client.PostAsync("/v1/events", EventPosts.Views(20));

        await EventPosts.AssertUnavailableAsync(refused, "Local_MsgTimedOut");
        // The exception handler clears the headers set before the failure; the id is set again as the 503 starts.
        Assert.Equal(["outage-1"], refused.Headers.GetValues("X-Request-Id"));
        Assert.Contains("\"request_id\":\"outage-1\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, (await embedded.GetOffsetsAsync(new TopicPartition(Topics.Views, 0))).End);

        log.Down = false;
        var accepted = await client.PostAsync("/v1/events", EventPosts.Views(20));

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(["outage-1"], accepted.Headers.GetValues("X-Request-Id"));
        Assert.Equal(20, (await embedded.GetOffsetsAsync(new TopicPartition(Topics.Views, 0))).End);
    }
}

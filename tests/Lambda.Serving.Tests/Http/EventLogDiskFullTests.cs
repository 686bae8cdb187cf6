using System.Net;
using System.Text;
using Lambda.Log.Embedded;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;
using Lambda.Store.Sqlite;
using Lambda.Tests.Shared;

namespace Lambda.Serving.Tests.Http;

/// <summary>POST /v1/events with the event log on a full disk: a 503 with Retry-After, then, once space is back, 202 and each event once.</summary>
public sealed class EventLogDiskFullTests
{
    [SkippableFact]
    public async Task a_full_disk_is_a_503_with_retry_after_and_the_retry_after_space_returns_lands_each_event_once()
    {
        using var disk = SmallDisk.Mount(1024 * 1024);
        var directory = Path.Combine(Path.GetTempPath(), "lambda-serving-full-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            await using var store = new SqliteViewStore(Path.Combine(directory, "views.db"));
            await store.InitializeAsync();
            await using var keys = new SqliteApiKeyStore(Path.Combine(directory, "views.db"));
            await keys.InitializeAsync();
            var admin = Lambda.SharedModel.Access.ApiKeys.NewKey();
            await keys.CreateAsync(Lambda.SharedModel.Access.ApiKeys.NewRecord(admin, null, DateTimeOffset.UtcNow));
            await using var log = EmbeddedEventLog.Open(new EmbeddedLogOptions { RootPath = Path.Combine(disk.Path, "log"), Fsync = FsyncPolicy.EveryFlush });
            foreach (var topic in Topics.All)
            {
                await log.CreateTopicAsync(topic, 1);
            }

            await using var factory = new ServingFactory(store, keys, log, ServingFactory.TestOptions());
            var client = factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", admin);
            var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
            var body = "[" + string.Join(",", Enumerable.Range(0, 50).Select(i =>
                $$"""{"type":"view","event_id":"e{{i}}","ad_id":"ad{{i % 7}}","user_id":"u1","ip":"10.0.0.1","user_agent":"Mozilla/5.0","event_time":"{{now}}"}""")) + "]";

            disk.Fill();
            var refused = await client.PostAsync("/v1/events", new StringContent(body, Encoding.UTF8, "application/json"));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains("space", await refused.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
            Assert.Equal(0, (await log.GetOffsetsAsync(new TopicPartition(Topics.Views, 0))).End);

            disk.Free();
            var accepted = await client.PostAsync("/v1/events", new StringContent(body, Encoding.UTF8, "application/json"));

            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            Assert.Equal(50, (await log.GetOffsetsAsync(new TopicPartition(Topics.Views, 0))).End);
            Assert.Equal(0, (await log.GetOffsetsAsync(new TopicPartition(Topics.DeadLetters, 0))).End);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}

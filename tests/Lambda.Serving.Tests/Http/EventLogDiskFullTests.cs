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
            var (store, keys, admin) = await EventPosts.OpenStoresAsync(directory);
            await using var _ = store;
            await using var __ = keys;
            await using var log = EmbeddedEventLog.Open(new EmbeddedLogOptions { RootPath = Path.Combine(disk.Path, "log"), Fsync = FsyncPolicy.EveryFlush });
            foreach (var topic in Topics.All)
            {
                await log.CreateTopicAsync(topic, 1);
            }

            await using var factory = new ServingFactory(store, keys, log, ServingFactory.TestOptions());
            var client = factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", admin);
            disk.Fill();
            var refused = await client.PostAsync("/v1/events", EventPosts.Views(50));

            await EventPosts.AssertUnavailableAsync(refused, "space");
            Assert.Equal(0, (await log.GetOffsetsAsync(new TopicPartition(Topics.Views, 0))).End);

            disk.Free();
            var accepted = await client.PostAsync("/v1/events", EventPosts.Views(50));

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

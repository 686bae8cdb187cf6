using System.Net;
using System.Text;
using Lambda.Serving.Http;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;
using Microsoft.Extensions.DependencyInjection;

namespace Lambda.Serving.Tests.Http;

/// <summary>
/// POST /v1/events is bounded per request: a body with too many invalid records is refused whole with
/// a summary and nothing appended (4 MiB of <c>x\n</c> used to become 2 million dead letters), and a
/// large body is appended in chunks, so a small request in between is not held up until it ends.
/// </summary>
public class IngestBoundsTests : ApiTest
{
    protected override bool Seed => false;

    private static string View(string eventId) =>
        $$"""{"type":"view","event_id":"{{eventId}}","ad_id":"ad1","user_id":"u1","ip":"10.0.0.1","user_agent":"Mozilla/5.0","event_time":"{{DateTimeOffset.UtcNow:yyyy-MM-dd'T'HH:mm:ss'Z'}}"}""";

    private static string Lines(int good, int bad, string prefix = "e") =>
        string.Concat(Enumerable.Range(0, good).Select(i => View(prefix + i) + "\n")) + string.Concat(Enumerable.Repeat("x\n", bad));

    private Task<HttpResponseMessage> PostAsync(HttpClient client, string body) =>
        client.PostAsync("/v1/events", new StringContent(body, Encoding.UTF8, "application/x-ndjson"));

    [Fact]
    public async Task a_body_of_junk_lines_is_refused_whole_with_a_summary_and_nothing_is_appended()
    {
        var body = "\n" + View("good") + "\n" + string.Concat(Enumerable.Repeat("x\n", 1_999_990));

        var response = await PostAsync(Client(World.AdminKey), body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await JsonOf(response);
        Assert.Equal("body", json.GetProperty("field").GetString());
        Assert.Equal(1_999_991, json.GetProperty("records").GetInt64());
        // Checking stops once the count bound (1,000) is passed: the rest is only counted.
        Assert.Equal(1_002, json.GetProperty("checked").GetInt64());
        Assert.Equal(1_001, json.GetProperty("rejected").GetInt64());
        Assert.Equal(1_001, json.GetProperty("reasons").GetProperty("malformed_json").GetInt64());
        var examples = json.GetProperty("examples").EnumerateArray().ToArray();
        Assert.Equal(5, examples.Length);
        // Line 1 is blank and line 2 the good record: the first bad one is record 2, on line 3.
        Assert.Equal((2, 3, "malformed_json"), (examples[0].GetProperty("record").GetInt64(), examples[0].GetProperty("line").GetInt32(), examples[0].GetProperty("reason").GetString()));
        Assert.Equal(7, examples[4].GetProperty("line").GetInt32());
        foreach (var topic in Topics.All)
        {
            Assert.Equal(0, await World.RecordsInAsync(topic));
        }
    }

    [Fact]
    public async Task a_json_array_refusal_names_the_lines_of_its_bad_records()
    {
        var body = "[\n" + View("a") + ",\n{\"type\":\"nope\"},\n" + View("b") + ", 17\n]";
        var options = new ServingOptions { IngestMaxRejected = 1 };

        await using var sink = new EventSink(World.Log, TimeProvider.System);
        var check = await sink.IngestAsync(Encoding.UTF8.GetBytes(body), "test", "req-test", options, default);

        Assert.NotNull(check.Refusal);
        Assert.Equal([(2L, 3, "unknown_topic"), (4L, 4, "malformed_json")],
            check.Check.Examples.Select(e => (e.Record, e.Line, e.Reason)));
        Assert.Equal(0, await World.RecordsInAsync(Topics.DeadLetters));
    }

    [Theory]
    [InlineData(1_000, 10_000, true)]
    [InlineData(1_001, 10_000, false)]
    [InlineData(100, 100, true)]
    [InlineData(101, 99, false)]
    [InlineData(3, 0, true)]
    public async Task rejects_up_to_the_count_and_the_share_are_dead_lettered_beyond_either_the_request_is_refused(int bad, int good, bool accepted)
    {
        var response = await PostAsync(Client(World.AdminKey), Lines(good, bad));

        Assert.Equal(accepted ? HttpStatusCode.Accepted : HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(accepted ? bad : 0, await World.RecordsInAsync(Topics.DeadLetters));
        Assert.Equal(accepted ? good : 0, await World.RecordsInAsync(Topics.Views));
    }

    [Fact]
    public async Task a_small_request_is_appended_between_the_chunks_of_a_large_one()
    {
        var log = new FirstFlushHeldLog(World.Log);
        await using var factory = new ServingFactory(World.Store, World.Keys, log, Options);
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", World.AdminKey);
        var sink = factory.Services.GetRequiredService<EventSink>();

        var large = PostAsync(client, Lines(3 * EventSink.ChunkRecords, 0, "large-"));
        await log.FirstFlushStarted.WaitAsync(TimeSpan.FromMinutes(1));
        var small = PostAsync(client, View("small"));
        Assert.True(SpinWait.SpinUntil(() => sink.Waiting == 1, TimeSpan.FromMinutes(1)), "the small request never queued for the log");
        log.ReleaseFirstFlush();

        Assert.Equal(HttpStatusCode.Accepted, (await small).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await large).StatusCode);
        // Every view has ad_id ad1, so all are in one partition, in append order.
        var order = await EventIdsInOrder(Topics.Views);
        Assert.Equal((3 * EventSink.ChunkRecords) + 1, order.Count);
        Assert.Equal(EventSink.ChunkRecords, order.IndexOf("small"));
    }

    private async Task<List<string>> EventIdsInOrder(string topic)
    {
        var ids = new List<string>();
        using var reader = World.Log.CreateReader();
        for (var p = 0; p < 2; p++)
        {
            var batch = new RecordBatch();
            for (long offset = 0; ; offset = batch.NextOffset)
            {
                await reader.ReadAsync(new TopicPartition(topic, p), offset, batch, 10_000, TimeSpan.Zero);
                if (batch.Count == 0)
                {
                    break;
                }
                for (var i = 0; i < batch.Count; i++)
                {
                    var value = Encoding.UTF8.GetString(batch[i].Value);
                    var at = value.IndexOf("\"event_id\":\"", StringComparison.Ordinal) + 12;
                    ids.Add(value[at..value.IndexOf('"', at)]);
                }
            }
        }
        return ids;
    }

    /// <summary>The log, except that the first flush of its producer waits until the test releases it.</summary>
    private sealed class FirstFlushHeldLog(IEventLog inner) : IEventLog
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task FirstFlushStarted => _started.Task;

        public void ReleaseFirstFlush() => _release.TrySetResult();

        public string Kind => inner.Kind;

        public ValueTask CreateTopicAsync(string topic, int partitions, CancellationToken cancellationToken = default) =>
            inner.CreateTopicAsync(topic, partitions, cancellationToken);

        public ValueTask<IReadOnlyList<TopicDescription>> ListTopicsAsync(CancellationToken cancellationToken = default) =>
            inner.ListTopicsAsync(cancellationToken);

        public ValueTask<PartitionOffsets> GetOffsetsAsync(TopicPartition topicPartition, CancellationToken cancellationToken = default) =>
            inner.GetOffsetsAsync(topicPartition, cancellationToken);

        public ILogProducer CreateProducer() => new HeldProducer(inner.CreateProducer(), this);

        public ILogReader CreateReader() => inner.CreateReader();

        public ValueTask CommitAsync(string group, IReadOnlyList<TopicPartitionOffset> offsets, CancellationToken cancellationToken = default) =>
            inner.CommitAsync(group, offsets, cancellationToken);

        public ValueTask<long?> GetCommittedAsync(string group, TopicPartition topicPartition, CancellationToken cancellationToken = default) =>
            inner.GetCommittedAsync(group, topicPartition, cancellationToken);

        // The world disposes the inner log.
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private sealed class HeldProducer(ILogProducer inner, FirstFlushHeldLog log) : ILogProducer
        {
            public int Enqueue(string topic, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long timestampMs, RecordHeaders headers = default) =>
                inner.Enqueue(topic, key, value, timestampMs, headers);

            public void Enqueue(TopicPartition topicPartition, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long timestampMs,
                RecordHeaders headers = default) =>
                inner.Enqueue(topicPartition, key, value, timestampMs, headers);

            public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
            {
                if (log._started.TrySetResult())
                {
                    await log._release.Task.WaitAsync(cancellationToken);
                }
                await inner.FlushAsync(cancellationToken);
            }

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }
    }
}

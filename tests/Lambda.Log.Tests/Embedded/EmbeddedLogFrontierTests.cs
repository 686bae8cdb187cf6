using Lambda.Log.Embedded;
using Lambda.SharedModel.Log;

namespace Lambda.Log.Tests.Embedded;

/// <summary>
/// The log-time frontier a read at the end of a partition carries: the speed layer's
/// deterministic merge relies on no later record having an earlier timestamp.
/// </summary>
public sealed class EmbeddedLogFrontierTests : EmbeddedLogFixture
{
    [Fact]
    public async Task a_read_that_reaches_the_end_carries_a_frontier_no_later_append_falls_below()
    {
        await using var log = EmbeddedEventLog.Open(Options());
        await log.CreateTopicAsync(Topic, 1);
        await AppendAsync(log, 0, 10);
        using var reader = log.CreateReader();
        var batch = new RecordBatch();
        var tp = new TopicPartition(Topic, 0);

        await reader.ReadAsync(tp, 0, batch, 5, TimeSpan.Zero);
        Assert.Equal(long.MinValue, batch.LogTimeFrontierMs); // not at the end yet: no promise

        await reader.ReadAsync(tp, 5, batch, 100, TimeSpan.Zero);
        Assert.Equal(10, batch.NextOffset);
        var frontier = batch.LogTimeFrontierMs;
        Assert.True(frontier >= batch[batch.Count - 1].TimestampMs, "the frontier is below a record already read");

        await AppendAsync(log, 10, 10);
        await reader.ReadAsync(tp, 10, batch, 100, TimeSpan.Zero);
        Assert.Equal(10, batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            Assert.True(batch[i].TimestampMs >= frontier, $"record {batch[i].Offset} was stamped below the promised frontier");
        }
    }

    [Fact]
    public async Task an_empty_read_at_the_end_still_carries_a_frontier()
    {
        await using var log = EmbeddedEventLog.Open(Options());
        await log.CreateTopicAsync(Topic, 1);
        using var reader = log.CreateReader();
        var batch = new RecordBatch();
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        await reader.ReadAsync(new TopicPartition(Topic, 0), 0, batch, 100, TimeSpan.Zero);

        Assert.Equal(0, batch.Count);
        Assert.True(batch.LogTimeFrontierMs >= before, "an idle partition's frontier must follow the clock");
    }
}

using Lambda.Log.Embedded;
using Lambda.SharedModel.Log;

namespace Lambda.Log.Tests.Embedded;

/// <summary>What survives a close, a crash, a torn tail and damaged bytes.</summary>
public sealed class EmbeddedLogRecoveryTests : EmbeddedLogFixture
{
    // 100 records of 8-byte keys and 100-byte values: a 28-byte header and 100 x (16 + 108) bytes.
    private const int BatchBytes = 28 + (100 * 124);

    [Fact]
    public async Task reopening_keeps_every_record_topic_and_committed_offset()
    {
        await using (var log = EmbeddedEventLog.Open(Options()))
        {
            await log.CreateTopicAsync(Topic, 2);
            await AppendAsync(log, 0, 1_000);
            await log.CommitAsync("speed", [new(new TopicPartition(Topic, 0), 640)]);
        }

        await using var reopened = EmbeddedEventLog.Open(Options());
        Assert.Equal([new TopicDescription(Topic, 2)], await reopened.ListTopicsAsync());
        Assert.Equal(1_000, await ReadAndCheckAsync(reopened));
        Assert.Equal(640, await reopened.GetCommittedAsync("speed", new TopicPartition(Topic, 0)));
        await AppendAsync(reopened, 1_000, 10);
        Assert.Equal(1_010, await ReadAndCheckAsync(reopened));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task torn_tail_is_cut_on_reopen_and_appends_continue_at_the_next_offset(bool crashed)
    {
        await using (var log = EmbeddedEventLog.Open(Options()))
        {
            await log.CreateTopicAsync(Topic, 1);
            await AppendAsync(log, 0, 300);
        }

        var segment = SegmentFiles(0)[0];
        using (var file = new FileStream(segment, FileMode.Open, FileAccess.Write))
        {
            file.SetLength((3 * BatchBytes) - 50);
        }

        SimulateCrash(crashed);

        await using var reopened = EmbeddedEventLog.Open(Options());
        Assert.Equal(200, (await reopened.GetOffsetsAsync(new TopicPartition(Topic, 0))).End);
        Assert.Equal(2 * BatchBytes, new FileInfo(segment).Length);
        Assert.Equal(200, await ReadAndCheckAsync(reopened));
        await AppendAsync(reopened, 200, 5);
        Assert.Equal(205, await ReadAndCheckAsync(reopened));
    }

    [Fact]
    public async Task flipped_bytes_in_the_last_batch_after_a_crash_are_cut_and_never_served()
    {
        await using (var log = EmbeddedEventLog.Open(Options()))
        {
            await log.CreateTopicAsync(Topic, 1);
            await AppendAsync(log, 0, 300);
        }

        FlipByte(SegmentFiles(0)[0], (3 * BatchBytes) - 10);
        SimulateCrash(true);

        await using var reopened = EmbeddedEventLog.Open(Options());
        Assert.Equal(200, await ReadAndCheckAsync(reopened));
        await AppendAsync(reopened, 200, 100);
        Assert.Equal(300, await ReadAndCheckAsync(reopened));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task corruption_in_the_middle_stops_readers_before_it_and_keeps_what_follows(bool crashed)
    {
        await using (var log = EmbeddedEventLog.Open(Options()))
        {
            await log.CreateTopicAsync(Topic, 1);
            await AppendAsync(log, 0, 500);
        }

        var segment = SegmentFiles(0)[0];
        FlipByte(segment, (2 * BatchBytes) + 28 + 50);
        SimulateCrash(crashed);

        await using var reopened = EmbeddedEventLog.Open(Options());
        Assert.Equal(200, await ReadAndCheckAsync(reopened, untilDamage: true));
        using var reader = reopened.CreateReader();
        var error = await Assert.ThrowsAsync<LogCorruptionException>(async () =>
            await reader.ReadAsync(new TopicPartition(Topic, 0), 200, new RecordBatch(), 10, TimeSpan.Zero));
        Assert.Equal(200, error.Offset);
        Assert.Equal(2 * BatchBytes, error.Position);
        Assert.Equal(segment, error.SegmentPath);
        await Assert.ThrowsAsync<LogCorruptionException>(async () =>
            await reader.ReadAsync(new TopicPartition(Topic, 0), 250, new RecordBatch(), 10, TimeSpan.Zero));

        Assert.Equal(500, await ReadAndCheckAsync(reopened, from: 300));
        await AppendAsync(reopened, 500, 10);
        Assert.Equal(510, await ReadAndCheckAsync(reopened, from: 300));
    }

    [Fact]
    public async Task corruption_appearing_while_open_is_never_served()
    {
        await using var log = EmbeddedEventLog.Open(Options());
        await log.CreateTopicAsync(Topic, 1);
        await AppendAsync(log, 0, 300);

        FlipByte(SegmentFiles(0)[0], BatchBytes + 28 + 7);

        Assert.Equal(100, await ReadAndCheckAsync(log, untilDamage: true));
        await Assert.ThrowsAsync<LogCorruptionException>(async () => await ReadAndCheckAsync(log, from: 100));
    }

    [Fact]
    public async Task segments_roll_over_and_reads_cross_them()
    {
        await using (var log = EmbeddedEventLog.Open(Options(segmentBytes: 64 * 1024)))
        {
            await log.CreateTopicAsync(Topic, 1);
            await AppendAsync(log, 0, 2_000);
            await AppendAsync(log, 2_000, 1_500, perFlush: 1_500);

            Assert.True(SegmentFiles(0).Length >= 5, $"{SegmentFiles(0).Length} segments");
            Assert.Equal(3_500, await ReadAndCheckAsync(log));
            Assert.Equal(3_500, await ReadAndCheckAsync(log, from: 1_234));
        }

        await using var reopened = EmbeddedEventLog.Open(Options(segmentBytes: 64 * 1024));
        Assert.Equal(3_500, await ReadAndCheckAsync(reopened, from: 777));
        await AppendAsync(reopened, 3_500, 700);
        Assert.Equal(4_200, await ReadAndCheckAsync(reopened));
    }

    /// <summary>Without the clean-close marker, the next open verifies every batch of the last segment, as after kill -9.</summary>
    private void SimulateCrash(bool crashed)
    {
        if (crashed)
        {
            File.Delete(Path.Combine(Directory.Path, ".clean"));
        }
    }
}

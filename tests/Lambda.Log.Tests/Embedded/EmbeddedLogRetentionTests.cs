using Lambda.Log.Embedded;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Time;

namespace Lambda.Log.Tests.Embedded;

/// <summary>
/// Retention: sealed segments go, oldest first, only when old enough and read by every guard group; the
/// start moves up, a reopen (also after a crash mid-deletion) starts there, and a read-only reader follows.
/// </summary>
public sealed class EmbeddedLogRetentionTests : EmbeddedLogFixture
{
    // 100 records of 124 bytes per flush: 5 batches of 12,428 bytes fill a 64 KiB segment, so a segment holds 500 records.
    private const long SegmentBytes = 64 * 1024;
    private static readonly TopicPartition Partition0 = new(Topic, 0);
    private static readonly long Later = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds();

    private EmbeddedLogOptions Retained(params string[] guards)
    {
        var options = Options(SegmentBytes);
        options.RetentionMs = 60_000;
        options.RetentionCheckIntervalMs = 3_600_000;
        options.RetentionGuardGroups = guards;
        return options;
    }

    private async Task<EmbeddedEventLog> OpenWithRecordsAsync(EmbeddedLogOptions options, int records = 1_500)
    {
        var log = EmbeddedEventLog.Open(options);
        await log.CreateTopicAsync(Topic, 1);
        await AppendAsync(log, 0, records);
        return log;
    }

    [Fact]
    public async Task nothing_is_deleted_without_a_retention()
    {
        await using var log = await OpenWithRecordsAsync(Options(SegmentBytes));

        Assert.Equal(0, log.EnforceRetention(Later));
        Assert.Equal(3, SegmentFiles(0).Length);
        Assert.Equal(1_500, await ReadAndCheckAsync(log));
    }

    [Fact]
    public async Task old_sealed_segments_go_oldest_first_and_the_start_moves_up_but_the_active_one_stays()
    {
        await using var log = await OpenWithRecordsAsync(Retained());

        Assert.Equal(0, log.EnforceRetention());
        Assert.Equal(3, SegmentFiles(0).Length);

        Assert.Equal(2, log.EnforceRetention(Later));
        Assert.Equal([Path.Combine(PartitionPath(0), $"{1_000:D20}.seg")], SegmentFiles(0));
        Assert.Equal(new PartitionOffsets(Partition0, 1_000, 1_500), await log.GetOffsetsAsync(Partition0));
        Assert.Equal(1_500, await ReadAndCheckAsync(log, from: 1_000));
        using var reader = log.CreateReader();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            reader.ReadAsync(Partition0, 999, new RecordBatch(), 10, TimeSpan.Zero).AsTask());

        Assert.Equal(0, log.EnforceRetention(Later + Granularities.DayMs));
        Assert.Equal(2, log.SegmentsDeleted);
    }

    [Fact]
    public async Task a_guard_group_keeps_every_segment_it_has_not_read_past()
    {
        await using var log = await OpenWithRecordsAsync(Retained("lambda-speed", "lambda-archive"));

        Assert.Equal(0, log.EnforceRetention(Later));
        await log.CommitAsync("lambda-speed", [new(Partition0, 1_500)]);
        Assert.Equal(0, log.EnforceRetention(Later));

        // The archive has read into the second segment: only the first is behind both groups.
        await log.CommitAsync("lambda-archive", [new(Partition0, 999)]);
        Assert.Equal(1, log.EnforceRetention(Later));
        Assert.Equal(500, (await log.GetOffsetsAsync(Partition0)).Start);

        await log.CommitAsync("lambda-archive", [new(Partition0, 1_000)]);
        Assert.Equal(1, log.EnforceRetention(Later));
        Assert.Equal(1_000, (await log.GetOffsetsAsync(Partition0)).Start);
        Assert.Equal(1_500, await ReadAndCheckAsync(log, from: 1_000));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task a_reopen_after_deletion_starts_at_the_first_kept_segment_and_appends_continue(bool crashed)
    {
        await using (var log = await OpenWithRecordsAsync(Retained()))
        {
            Assert.Equal(2, log.EnforceRetention(Later));
        }

        if (crashed)
        {
            File.Delete(Path.Combine(Directory.Path, ".clean"));
        }

        await using var reopened = EmbeddedEventLog.Open(Retained());
        Assert.Equal(new PartitionOffsets(Partition0, 1_000, 1_500), await reopened.GetOffsetsAsync(Partition0));
        await AppendAsync(reopened, 1_500, 10);
        Assert.Equal(1_510, await ReadAndCheckAsync(reopened, from: 1_000));
    }

    [Fact]
    public async Task a_kill_between_two_deletions_leaves_a_log_that_opens_at_the_next_segment_and_finishes_the_job()
    {
        await using (var log = await OpenWithRecordsAsync(Options(SegmentBytes), records: 2_000))
        {
            Assert.Equal(4, SegmentFiles(0).Length);
        }

        // What a kill -9 after the first unlink of a pass leaves: the oldest file gone, no clean marker.
        File.Delete(SegmentFiles(0)[0]);
        File.Delete(Path.Combine(Directory.Path, ".clean"));

        await using var reopened = EmbeddedEventLog.Open(Retained());
        Assert.Equal(new PartitionOffsets(Partition0, 500, 2_000), await reopened.GetOffsetsAsync(Partition0));
        Assert.Equal(2_000, await ReadAndCheckAsync(reopened, from: 500));
        Assert.Equal(2, reopened.EnforceRetention(Later));
        Assert.Equal(1_500, (await reopened.GetOffsetsAsync(Partition0)).Start);
        Assert.Equal(2_000, await ReadAndCheckAsync(reopened, from: 1_500));
    }

    [Fact]
    public async Task a_read_only_reader_sees_the_start_move_up_and_keeps_reading_what_is_left()
    {
        await using var owner = await OpenWithRecordsAsync(Retained());
        await using var tail = EmbeddedEventLog.Open(new EmbeddedLogOptions { RootPath = Directory.Path, ReadOnly = true, ReadOnlyPollMs = 5 });
        Assert.Equal(0, (await tail.GetOffsetsAsync(Partition0)).Start);
        using var reader = tail.CreateReader();
        var batch = new RecordBatch();
        await reader.ReadAsync(Partition0, 0, batch, 100, TimeSpan.Zero);
        Assert.Equal(100, batch.NextOffset);

        Assert.Equal(2, owner.EnforceRetention(Later));

        Assert.Equal(new PartitionOffsets(Partition0, 1_000, 1_500), await tail.GetOffsetsAsync(Partition0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            reader.ReadAsync(Partition0, 100, batch, 100, TimeSpan.Zero).AsTask());
        Assert.Equal(1_500, await ReadAndCheckAsync(tail, from: 1_000));

        // Appends after the deletion reach the reader, and a reader opened now starts at the new start.
        await AppendAsync(owner, 1_500, 100);
        await reader.ReadAsync(Partition0, 1_500, batch, 1_000, TimeSpan.FromSeconds(30));
        Assert.Equal(1_600, batch.NextOffset);
        await using var late = EmbeddedEventLog.Open(new EmbeddedLogOptions { RootPath = Directory.Path, ReadOnly = true });
        Assert.Equal(new PartitionOffsets(Partition0, 1_000, 1_600), await late.GetOffsetsAsync(Partition0));
    }

    [Fact]
    public async Task the_background_pass_deletes_what_has_expired_without_a_call()
    {
        var options = Retained();
        options.RetentionMs = 1;
        options.RetentionCheckIntervalMs = 20;
        await using var log = await OpenWithRecordsAsync(options);

        // Waits for an outcome, asserts no duration: the pass runs every 20 ms.
        for (var i = 0; i < 500 && log.SegmentsDeleted < 2; i++)
        {
            await Task.Delay(20);
        }

        Assert.Equal(2, log.SegmentsDeleted);
        Assert.Equal(1_000, (await log.GetOffsetsAsync(Partition0)).Start);
    }

    [Theory]
    [InlineData(0L, null, "RetentionMs")]
    [InlineData(60_000L, "", "RetentionGuardGroups")]
    public void a_bad_retention_option_is_named(long retentionMs, string? guard, string option)
    {
        var options = Retained(guard is null ? [] : [guard]);
        options.RetentionMs = retentionMs;
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal(option, error.ParamName);
    }
}

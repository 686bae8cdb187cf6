using Lambda.Log.Embedded;
using Lambda.SharedModel.Log;
using Lambda.Tests.Shared;

namespace Lambda.Log.Tests.Embedded;

/// <summary>
/// The log on a small tmpfs that is filled on purpose: a flush that does not fit fails with a clear
/// error and leaves nothing behind, and once space is back appends go on with no record lost or doubled.
/// </summary>
public sealed class DiskFullTests : EmbeddedLogFixture
{
    private static EmbeddedLogOptions OnDisk(SmallDisk disk) => new()
    {
        RootPath = Path.Combine(disk.Path, "log"),
        Fsync = FsyncPolicy.EveryFlush,
        // Small batches, so a write cut short by the full disk holds whole batches that a later scan could take for data.
        MaxBatchBytes = 4096,
        SegmentBytes = 256 * 1024,
    };

    private static string SegmentOf(SmallDisk disk) => Path.Combine(disk.Path, "log", "topics", Topic, "0", $"{0:D20}.seg");

    [SkippableFact]
    public async Task a_flush_on_a_full_disk_fails_cleanly_and_appends_resume_without_loss_or_duplicates_once_space_is_back()
    {
        using var disk = SmallDisk.Mount(2 * 1024 * 1024);
        var options = OnDisk(disk);
        await using (var log = EmbeddedEventLog.Open(options))
        {
            await log.CreateTopicAsync(Topic, 1);
            await AppendAsync(log, 0, 300);
            await log.CommitAsync("speed", [new(new TopicPartition(Topic, 0), 100)]);
            var acknowledgedBytes = new FileInfo(SegmentOf(disk)).Length;

            // Leave 32 KiB free: the next flush (~124 KB) is written in part, then the disk is full.
            var reserve = Path.Combine(disk.Path, "reserve");
            await File.WriteAllBytesAsync(reserve, new byte[32 * 1024]);
            disk.Fill();
            await Assert.ThrowsAnyAsync<IOException>(() => log.CommitAsync("speed", [new(new TopicPartition(Topic, 0), 300)]).AsTask());
            Assert.Equal(100, await log.GetCommittedAsync("speed", new TopicPartition(Topic, 0)));
            File.Delete(reserve);

            var error = await Assert.ThrowsAsync<IOException>(() => AppendAsync(log, 300, 1_000, perFlush: 1_000));
            Assert.Contains("rolled back", error.Message, StringComparison.Ordinal);
            Assert.Contains("space", error.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(acknowledgedBytes, new FileInfo(SegmentOf(disk)).Length);
            Assert.Equal(300, (await log.GetOffsetsAsync(new TopicPartition(Topic, 0))).End);
            Assert.Equal(300, await ReadAndCheckAsync(log));

            // A small flush still fits in what the rollback gave back; then all the space returns.
            await AppendAsync(log, 300, 10);
            disk.Free();
            await AppendAsync(log, 310, 300);
            await log.CommitAsync("speed", [new(new TopicPartition(Topic, 0), 610)]);
            Assert.Equal(610, await ReadAndCheckAsync(log));
        }

        // After a crash the whole last segment is scanned: nothing of the failed flush may surface.
        File.Delete(Path.Combine(options.RootPath, ".clean"));
        await using var reopened = EmbeddedEventLog.Open(options);
        Assert.Equal(610, (await reopened.GetOffsetsAsync(new TopicPartition(Topic, 0))).End);
        Assert.Equal(610, await ReadAndCheckAsync(reopened));
        Assert.Equal(610, await reopened.GetCommittedAsync("speed", new TopicPartition(Topic, 0)));
    }

    [SkippableFact]
    public async Task a_flush_that_fails_while_rolling_to_a_new_segment_leaves_no_segment_behind()
    {
        using var disk = SmallDisk.Mount(2 * 1024 * 1024);
        var options = OnDisk(disk);
        options.SegmentBytes = 64 * 1024;
        await using (var log = EmbeddedEventLog.Open(options))
        {
            await log.CreateTopicAsync(Topic, 1);
            await AppendAsync(log, 0, 300);
            var segments = System.IO.Directory.GetFiles(Path.GetDirectoryName(SegmentOf(disk))!, "*.seg").Order().ToArray();

            // Room for the rest of the first segment only: the flush fills it, rolls, and fails in the new one.
            var reserve = Path.Combine(disk.Path, "reserve");
            await File.WriteAllBytesAsync(reserve, new byte[32 * 1024]);
            disk.Fill();
            File.Delete(reserve);
            await Assert.ThrowsAsync<IOException>(() => AppendAsync(log, 300, 1_000, perFlush: 1_000));

            Assert.Equal(segments, System.IO.Directory.GetFiles(Path.GetDirectoryName(SegmentOf(disk))!, "*.seg").Order());
            Assert.Equal(300, await ReadAndCheckAsync(log));
            disk.Free();
            await AppendAsync(log, 300, 1_000, perFlush: 1_000);
            Assert.Equal(1_300, await ReadAndCheckAsync(log));
        }

        File.Delete(Path.Combine(options.RootPath, ".clean"));
        await using var reopened = EmbeddedEventLog.Open(options);
        Assert.Equal(1_300, await ReadAndCheckAsync(reopened));
    }

    [SkippableFact]
    public async Task closing_on_a_full_disk_does_not_throw_and_the_next_open_verifies_and_keeps_everything()
    {
        using var disk = SmallDisk.Mount(1024 * 1024);
        var options = OnDisk(disk);
        var log = EmbeddedEventLog.Open(options);
        await log.CreateTopicAsync(Topic, 1);
        await AppendAsync(log, 0, 300);
        disk.Fill();

        await log.DisposeAsync();

        Assert.False(File.Exists(Path.Combine(options.RootPath, ".clean")));
        disk.Free();
        await using var reopened = EmbeddedEventLog.Open(options);
        Assert.Equal(300, await ReadAndCheckAsync(reopened));
    }
}

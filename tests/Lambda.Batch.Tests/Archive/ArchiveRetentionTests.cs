using Lambda.Batch.Archive;
using Lambda.Batch.Master;
using Lambda.Log.Embedded;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;

namespace Lambda.Batch.Tests.Archive;

/// <summary>The archive and the log's retention: its offsets guard the log, and a gap below the log's start is an error.</summary>
public sealed class ArchiveRetentionTests : IDisposable
{
    private readonly MasterTestBed _bed = new();

    [Fact]
    public async Task archive_commits_each_partitions_archived_end_to_its_group_after_the_manifest()
    {
        await _bed.GenerateAsync(20_000);
        await _bed.ArchiveAsync();

        var manifest = ArchiveManifest.Load(_bed.Master);
        await using var log = _bed.OpenLog();
        foreach (var topic in Topics.EventTopics)
        {
            for (var p = 0; p < MasterTestBed.Partitions; p++)
            {
                var tp = new TopicPartition(topic, p);
                var end = (await log.GetOffsetsAsync(tp)).End;
                Assert.Equal(end, manifest.ArchivedUpTo(topic, p));
                Assert.Equal(end, await log.GetCommittedAsync(ArchiveJob.ConsumerGroup, tp));
            }
        }
    }

    [Fact]
    public async Task a_backfill_leaves_the_archive_group_alone_since_its_rebuild_may_never_be_swapped_in()
    {
        await _bed.GenerateAsync(20_000);
        await _bed.BackfillAsync();

        await using var log = _bed.OpenLog();
        Assert.Null(await log.GetCommittedAsync(ArchiveJob.ConsumerGroup, new TopicPartition(Topics.Served, 0)));
    }

    [Fact]
    public async Task archive_refuses_to_skip_records_deleted_before_it_read_them_and_names_the_range()
    {
        await _bed.GenerateAsync(20_000);
        await using (var log = EmbeddedEventLog.Open(new EmbeddedLogOptions
        {
            RootPath = _bed.LogRoot,
            Fsync = FsyncPolicy.Never,
            SegmentBytes = 64 * 1024,
            RetentionMs = 1,
            RetentionCheckIntervalMs = 3_600_000,
        }))
        {
            // A second segment, so the first is sealed; no guard groups: retention deletes it unread.
            await using (var producer = log.CreateProducer())
            {
                producer.Enqueue(new TopicPartition(Topics.Served, 0), "k"u8, "{}"u8, 0);
                await producer.FlushAsync();
            }

            Assert.Equal(1, log.EnforceRetention(DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds()));
        }

        var start = await StartAsync(new TopicPartition(Topics.Served, 0));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _bed.ArchiveAsync());
        Assert.Contains($"{Topics.Served} partition 0: offsets 0..{start - 1} are no longer in the log", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(ArchiveManifest.PathOf(_bed.Master)) && ArchiveManifest.Load(_bed.Master).ArchivedUpTo(Topics.Served, 0) > 0);
    }

    private async Task<long> StartAsync(TopicPartition topicPartition)
    {
        await using var log = _bed.OpenLog();
        return (await log.GetOffsetsAsync(topicPartition)).Start;
    }

    public void Dispose() => _bed.Dispose();
}

using Lambda.Log.Embedded;
using Lambda.SharedModel.Log;

namespace Lambda.Log.Tests.Embedded;

/// <summary>One owner per directory, read-only readers beside it, and option validation.</summary>
public sealed class EmbeddedLogOwnershipTests : EmbeddedLogFixture
{
    [Fact]
    public async Task a_second_writer_on_the_same_directory_gets_a_clear_error()
    {
        await using var owner = EmbeddedEventLog.Open(Options());

        var error = Assert.Throws<LogOwnedException>(() => EmbeddedEventLog.Open(Options()));

        Assert.Contains("owned by another process", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_directory_can_be_opened_again_once_its_owner_is_closed()
    {
        var owner = EmbeddedEventLog.Open(Options());
        await owner.DisposeAsync();

        await using var next = EmbeddedEventLog.Open(Options());
        Assert.Empty(await next.ListTopicsAsync());
    }

    [Fact]
    public async Task a_read_only_log_follows_records_appended_by_the_owner()
    {
        await using var owner = EmbeddedEventLog.Open(Options());
        await owner.CreateTopicAsync(Topic, 1);
        await AppendAsync(owner, 0, 100);
        await owner.CommitAsync("speed", [new(new TopicPartition(Topic, 0), 42)]);

        await using var tail = EmbeddedEventLog.Open(new EmbeddedLogOptions { RootPath = Directory.Path, ReadOnly = true });
        Assert.Equal(100, await ReadAndCheckAsync(tail));
        Assert.Equal(42, await tail.GetCommittedAsync("speed", new TopicPartition(Topic, 0)));
        Assert.Throws<InvalidOperationException>(() => tail.CreateProducer());

        using var reader = tail.CreateReader();
        var batch = new RecordBatch();
        var waiting = reader.ReadAsync(new TopicPartition(Topic, 0), 100, batch, 1_000, TimeSpan.FromSeconds(20)).AsTask();
        await AppendAsync(owner, 100, 50);
        await waiting.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.NotEqual(0, batch.Count);
        Assert.Equal(100, batch[0].Offset);
        Assert.Equal(150, await ReadAndCheckAsync(tail));
    }

    [Fact]
    public async Task reading_below_the_start_of_a_partition_throws()
    {
        await using var log = EmbeddedEventLog.Open(Options());
        await log.CreateTopicAsync(Topic, 1);
        using var reader = log.CreateReader();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
            await reader.ReadAsync(new TopicPartition(Topic, 0), -1, new RecordBatch(), 10, TimeSpan.Zero));
    }

    [Theory]
    [InlineData(nameof(EmbeddedLogOptions.RootPath))]
    [InlineData(nameof(EmbeddedLogOptions.DefaultPartitions))]
    [InlineData(nameof(EmbeddedLogOptions.SegmentBytes))]
    [InlineData(nameof(EmbeddedLogOptions.FsyncIntervalMs))]
    [InlineData(nameof(EmbeddedLogOptions.MaxBatchBytes))]
    public void invalid_options_are_rejected_naming_the_option(string option)
    {
        var options = Options();
        switch (option)
        {
            case nameof(EmbeddedLogOptions.RootPath): options.RootPath = " "; break;
            case nameof(EmbeddedLogOptions.DefaultPartitions): options.DefaultPartitions = 0; break;
            case nameof(EmbeddedLogOptions.SegmentBytes): options.SegmentBytes = 100; break;
            case nameof(EmbeddedLogOptions.FsyncIntervalMs): options.FsyncIntervalMs = 0; break;
            case nameof(EmbeddedLogOptions.MaxBatchBytes): options.MaxBatchBytes = 1; break;
        }

        var error = Assert.Throws<ArgumentException>(() => EmbeddedEventLog.Open(options));

        Assert.Equal(option, error.ParamName);
        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }
}

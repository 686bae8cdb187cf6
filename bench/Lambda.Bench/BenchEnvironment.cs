using Lambda.Log.Embedded;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;

namespace Lambda.Bench;

/// <summary>A throwaway data directory with an embedded log, deleted at the end of a benchmark.</summary>
internal sealed class BenchEnvironment : IAsyncDisposable
{
    private BenchEnvironment(string directory, EmbeddedEventLog log)
    {
        Directory = directory;
        Log = log;
    }

    public string Directory { get; }

    public EmbeddedEventLog Log { get; }

    public static async Task<BenchEnvironment> CreateAsync(string? parent, int partitions)
    {
        var directory = System.IO.Directory.CreateDirectory(Path.Combine(parent ?? Path.GetTempPath(), $"lambda-bench-{Guid.NewGuid():N}")).FullName;
        var log = EmbeddedEventLog.Open(new EmbeddedLogOptions { RootPath = Path.Combine(directory, "log"), Fsync = FsyncPolicy.Interval });
        foreach (var topic in Topics.All)
        {
            await log.CreateTopicAsync(topic, partitions).ConfigureAwait(false);
        }

        return new BenchEnvironment(directory, log);
    }

    /// <summary>Reads every record of the event topics without processing them: the replay floor.</summary>
    public async Task<long> ReplayAllAsync(CancellationToken cancellationToken)
    {
        using var reader = Log.CreateReader();
        var batch = new RecordBatch(8192, 4 << 20);
        long records = 0;
        foreach (var topic in await Log.ListTopicsAsync(cancellationToken).ConfigureAwait(false))
        {
            for (var p = 0; p < topic.Partitions; p++)
            {
                var tp = new TopicPartition(topic.Name, p);
                var offset = 0L;
                while (true)
                {
                    await reader.ReadAsync(tp, offset, batch, 8192, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
                    if (batch.Count == 0)
                    {
                        break;
                    }

                    records += batch.Count;
                    offset = batch.NextOffset;
                }
            }
        }

        return records;
    }

    public async ValueTask DisposeAsync()
    {
        await Log.DisposeAsync().ConfigureAwait(false);
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

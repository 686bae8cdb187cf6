using System.Text;
using Lambda.Log.Embedded;
using Lambda.SharedModel.Log;

namespace Lambda.Log.Tests.Embedded;

/// <summary>Helpers for tests that open, damage and reopen an embedded log in a temp directory.</summary>
public abstract class EmbeddedLogFixture : IDisposable
{
    protected const string Topic = "ad-served";

    protected TempDirectory Directory { get; } = new();

    protected EmbeddedLogOptions Options(long segmentBytes = 256L * 1024 * 1024) =>
        new() { RootPath = Directory.Path, Fsync = FsyncPolicy.Never, SegmentBytes = segmentBytes };

    protected string PartitionPath(int partition) => Path.Combine(Directory.Path, "topics", Topic, partition.ToString(System.Globalization.CultureInfo.InvariantCulture));

    protected string[] SegmentFiles(int partition) => [.. System.IO.Directory.GetFiles(PartitionPath(partition), "*.seg").Order()];

    protected static byte[] ValueOf(long n, int length = 100)
    {
        var value = new byte[length];
        Encoding.ASCII.GetBytes($"v{n}:").CopyTo(value, 0);
        for (var i = 12; i < length; i++)
        {
            value[i] = (byte)(n + i);
        }

        return value;
    }

    /// <summary>Appends records numbered [first, first + count) to partition 0 in flushes of <paramref name="perFlush"/>.</summary>
    protected static async Task AppendAsync(IEventLog log, long first, int count, int perFlush = 100)
    {
        await using var producer = log.CreateProducer();
        for (var i = 0; i < count; i++)
        {
            var n = first + i;
            producer.Enqueue(new TopicPartition(Topic, 0), BitConverter.GetBytes(n), ValueOf(n), n);
            if ((i + 1) % perFlush == 0)
            {
                await producer.FlushAsync();
            }
        }

        await producer.FlushAsync();
    }

    /// <summary>
    /// Reads partition 0 from <paramref name="from"/> to its end (or, if <paramref name="untilDamage"/>, to the first
    /// corrupt batch); asserts each record is the one appended at its offset. Returns the offset where reading stopped.
    /// </summary>
    protected static async Task<long> ReadAndCheckAsync(IEventLog log, long from = 0, bool untilDamage = false)
    {
        using var reader = log.CreateReader();
        var batch = new RecordBatch();
        var next = from;
        var lastTimestamp = long.MinValue;
        while (true)
        {
            try
            {
                await reader.ReadAsync(new TopicPartition(Topic, 0), next, batch, 500, TimeSpan.Zero);
            }
            catch (LogCorruptionException e) when (untilDamage)
            {
                Assert.Equal(next, e.Offset);
                return next;
            }

            if (batch.Count == 0)
            {
                return next;
            }

            for (var i = 0; i < batch.Count; i++)
            {
                var r = batch[i];
                Assert.Equal(next + i, r.Offset);
                Assert.Equal(r.Offset, BitConverter.ToInt64(r.Key));
                Assert.True(r.TimestampMs >= lastTimestamp, $"timestamp at offset {r.Offset} decreased");
                lastTimestamp = r.TimestampMs;
                Assert.True(r.Value.SequenceEqual(ValueOf(r.Offset)), $"value at offset {r.Offset}");
            }

            next = batch.NextOffset;
        }
    }

    /// <summary>tests/Lambda.Log.AppendProbe's build output: a child process that appends to ad-served[0] until killed.</summary>
    protected static string AppendProbePath()
    {
        // tests/Lambda.Log.Tests/bin/<Configuration>/net10.0/ -> tests/Lambda.Log.AppendProbe/bin/<Configuration>/net10.0/
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent!.Name;
        var tests = output.Parent.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(tests, "Lambda.Log.AppendProbe", "bin", configuration, output.Name, "Lambda.Log.AppendProbe.dll");
    }

    protected static void FlipByte(string path, long position)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = position;
        var b = file.ReadByte();
        file.Position = position;
        file.WriteByte((byte)(b ^ 0x5A));
    }

    public void Dispose()
    {
        Directory.Dispose();
        GC.SuppressFinalize(this);
    }
}

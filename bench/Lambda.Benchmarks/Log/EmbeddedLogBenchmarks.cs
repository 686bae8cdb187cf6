using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Lambda.Log.Embedded;
using Lambda.SharedModel.Log;
using Microsoft.Win32.SafeHandles;

namespace Lambda.Benchmarks.Log;

/// <summary>
/// Embedded log throughput, with the physical references measured in the same run:
/// append of 200-byte values batched 1000 per flush (target ≥ 1M records/s) against a raw sequential
/// write of the same bytes; replay by sequential ReadAsync (target ≥ 3M records/s) against a raw
/// sequential pread of the same segment file; and the time to reopen the replayed log.
/// Per-record figures: divide 1 s by the reported mean (OperationsPerInvoke is the record count).
/// </summary>
[MemoryDiagnoser]
public class EmbeddedLogBenchmarks
{
    private const int ValueBytes = 200;
    private const int PerFlush = 1_000;
    private const int AppendRecords = 200_000;
    private const int ReplayRecords = 1_000_000;
    private const string Topic = "ad-served";

    private readonly byte[] _value = new byte[ValueBytes];
    private readonly byte[] _key = new byte[8];
    private readonly RecordBatch _batch = new(PerFlush, 512 * 1024);
    private string _root = "";
    private string _appendDirectory = "";
    private EmbeddedEventLog? _appendLog;
    private EmbeddedEventLog _replayLog = null!;
    private string _replaySegment = "";
    private long _appendBytes;
    private byte[] _chunk = [];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        Random.Shared.NextBytes(_value);
        _root = Path.Combine(Path.GetTempPath(), "lambda-bench-" + Guid.NewGuid().ToString("N"));
        var replayDirectory = Path.Combine(_root, "replay");
        foreach (var directory in new[] { replayDirectory, Path.Combine(_root, "reopen") })
        {
            await using var log = EmbeddedEventLog.Open(Options(directory));
            await log.CreateTopicAsync(Topic, 1);
            await AppendAsync(log, ReplayRecords);
        }

        _replayLog = EmbeddedEventLog.Open(Options(replayDirectory));
        _replaySegment = Directory.GetFiles(Path.Combine(replayDirectory, "topics", Topic, "0"), "*.seg").Order().First();

        // Same bytes as the append benchmark writes: key (8), value, and the framing overhead.
        _appendBytes = new FileInfo(_replaySegment).Length * AppendRecords / ReplayRecords;
        _chunk = new byte[(int)(_appendBytes / (AppendRecords / PerFlush))];
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _replayLog.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    // A fresh log per iteration; opening and the fsync-everything of a clean close stay outside the measurement.
    [IterationSetup(Target = nameof(Append))]
    public void OpenAppendLog()
    {
        NewAppendDirectory();
        _appendLog = EmbeddedEventLog.Open(Options(_appendDirectory));
        _appendLog.CreateTopicAsync(Topic, 1).AsTask().GetAwaiter().GetResult();
    }

    [IterationCleanup(Target = nameof(Append))]
    public void CloseAppendLog()
    {
        _appendLog!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        DeleteAppendDirectory();
    }

    [IterationSetup(Target = nameof(RawSequentialWrite))]
    public void NewAppendDirectory() => _appendDirectory = Path.Combine(_root, "append-" + Guid.NewGuid().ToString("N"));

    [IterationCleanup(Target = nameof(RawSequentialWrite))]
    public void DeleteAppendDirectory() => Directory.Delete(_appendDirectory, recursive: true);

    [Benchmark(OperationsPerInvoke = AppendRecords)]
    public Task Append() => AppendAsync(_appendLog!, AppendRecords);

    [Benchmark(OperationsPerInvoke = AppendRecords)]
    public void RawSequentialWrite()
    {
        Directory.CreateDirectory(_appendDirectory);
        using var handle = File.OpenHandle(Path.Combine(_appendDirectory, "raw.bin"), FileMode.Create, FileAccess.Write);
        long position = 0;
        for (var written = 0L; written < _appendBytes; written += _chunk.Length)
        {
            RandomAccess.Write(handle, _chunk, position);
            position += _chunk.Length;
        }
    }

    [Benchmark(OperationsPerInvoke = ReplayRecords)]
    public async Task<long> Replay()
    {
        using var reader = _replayLog.CreateReader();
        var tp = new TopicPartition(Topic, 0);
        var next = 0L;
        long bytes = 0;
        while (next < ReplayRecords)
        {
            await reader.ReadAsync(tp, next, _batch, PerFlush, TimeSpan.Zero);
            bytes += _batch.ByteCount;
            next = _batch.NextOffset;
        }

        return bytes;
    }

    [Benchmark(OperationsPerInvoke = ReplayRecords)]
    public long RawSequentialRead()
    {
        using SafeFileHandle handle = File.OpenHandle(_replaySegment);
        var buffer = new byte[1024 * 1024];
        long position = 0;
        int read;
        while ((read = RandomAccess.Read(handle, buffer, position)) > 0)
        {
            position += read;
        }

        return position;
    }

    /// <summary>Open and close of the 1M-record log after a clean close: headers hopped, nothing verified.</summary>
    [Benchmark]
    public async Task ReopenClean()
    {
        await using var log = EmbeddedEventLog.Open(Options(Path.Combine(_root, "reopen")));
        await log.CreateTopicAsync(Topic, 1);
    }

    /// <summary>Open and close of the 1M-record log as after a crash: every batch of the last segment is checksummed.</summary>
    [Benchmark]
    public async Task ReopenAfterCrash()
    {
        var directory = Path.Combine(_root, "reopen");
        File.Delete(Path.Combine(directory, ".clean"));
        await using var log = EmbeddedEventLog.Open(Options(directory));
        await log.CreateTopicAsync(Topic, 1);
    }

    private async Task AppendAsync(EmbeddedEventLog log, int count)
    {
        await using var producer = log.CreateProducer();
        var tp = new TopicPartition(Topic, 0);
        for (var i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(_key, i);
            producer.Enqueue(tp, _key, _value, i);
            if ((i + 1) % PerFlush == 0)
            {
                await producer.FlushAsync();
            }
        }

        await producer.FlushAsync();
    }

    private static EmbeddedLogOptions Options(string directory) =>
        new() { RootPath = directory, Fsync = FsyncPolicy.Never };
}

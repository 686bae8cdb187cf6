using System.Diagnostics;
using System.Globalization;
using Lambda.Log.Embedded;
using Lambda.SharedModel.Log;

namespace Lambda.Log.Tests.Embedded;

/// <summary>
/// A read-only log beside an owner that appends at the same time: a batch still being written is
/// "not yet there" (never corruption), segment rolls are followed, and the owner is named.
/// </summary>
public sealed class ReadOnlyBesideWriterTests : EmbeddedLogFixture
{
    [Fact]
    public async Task a_half_written_batch_at_the_tail_is_not_yet_there_and_is_served_once_complete()
    {
        var segment = await WriteTwoFlushesAsync(first: 100, second: 50);
        var full = await File.ReadAllBytesAsync(segment);
        var firstFlushEnd = FirstFlushEnd;
        // The owner is in the middle of its write of the second flush: only part of the batch is in the file.
        await File.WriteAllBytesAsync(segment, full[..(int)(firstFlushEnd + ((full.Length - firstFlushEnd) / 2))]);

        await using var tail = EmbeddedEventLog.Open(ReadOnly());
        Assert.Equal(100, (await tail.GetOffsetsAsync(new TopicPartition(Topic, 0))).End);
        Assert.Equal(100, await ReadAndCheckAsync(tail));

        using var reader = tail.CreateReader();
        var batch = new RecordBatch();
        var waiting = reader.ReadAsync(new TopicPartition(Topic, 0), 100, batch, 1_000, TimeSpan.FromSeconds(30)).AsTask();
        await using (var file = new FileStream(segment, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            // The rest of the write lands.
            file.Position = file.Length;
            file.Write(full.AsSpan((int)file.Length));
        }

        await waiting;
        Assert.Equal(100, batch[0].Offset);
        Assert.Equal(150, await ReadAndCheckAsync(tail));
    }

    [Fact]
    public async Task a_read_only_reader_follows_another_process_appending_across_segment_rolls()
    {
        var probe = AppendProbePath();
        Assert.True(File.Exists(probe), $"the append probe is not built at {probe}");
        using var owner = StartProbe(probe, out var acknowledged);
        try
        {
            await FollowThenKillAsync(owner, acknowledged);
        }
        finally
        {
            if (!owner.HasExited)
            {
                owner.Kill(entireProcessTree: false);
            }
        }
    }

    private async Task FollowThenKillAsync(Process owner, StrongBox acknowledged)
    {
        await WaitForAsync(() => Volatile.Read(ref acknowledged.Value) >= 0, owner, "the probe acknowledged nothing");

        await using var tail = EmbeddedEventLog.Open(ReadOnly());
        Assert.Equal(owner.Id, LogOwner.Read(Directory.Path)?.ProcessId);
        using var reader = tail.CreateReader();
        var batch = new RecordBatch();
        var tp = new TopicPartition(Topic, 0);
        var next = 0L;
        // Follow the writer live, as `lambda serve` or the archive does, until it has rolled a few segments under us.
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (SegmentFiles(0).Length < 4 || next < SegmentBase(SegmentFiles(0)[3]))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the reader reached offset {next} only; segments: {SegmentFiles(0).Length}");
            Assert.False(owner.HasExited, "the probe exited");
            await reader.ReadAsync(tp, next, batch, 500, TimeSpan.FromMilliseconds(200));
            next = Check(batch, next);
        }

        owner.Kill(entireProcessTree: false); // SIGKILL: whatever it was writing stays torn at the tail
        await owner.WaitForExitAsync();
        var last = Volatile.Read(ref acknowledged.Value);
        while (true)
        {
            await reader.ReadAsync(tp, next, batch, 500, TimeSpan.Zero);
            if (batch.Count == 0)
            {
                break;
            }

            next = Check(batch, next);
        }

        Assert.True(next > last, $"acknowledged up to {last}, the live reader stopped at {next}");
        await using var reopened = EmbeddedEventLog.Open(ReadOnly());
        Assert.Equal(next, await ReadAndCheckAsync(reopened));
    }

    [Fact]
    public async Task a_second_writer_is_told_which_process_owns_the_log()
    {
        var options = Options();
        options.Owner = "lambda run, API on http://127.0.0.1:8080";
        await using var owner = EmbeddedEventLog.Open(options);

        var error = Assert.Throws<LogOwnedException>(() => EmbeddedEventLog.Open(Options()));

        Assert.Equal(Environment.ProcessId, error.Owner?.ProcessId);
        Assert.Equal(options.Owner, error.Owner?.Description);
        Assert.Contains($"pid {Environment.ProcessId} (lambda run, API on http://127.0.0.1:8080)", error.Message, StringComparison.Ordinal);
        Assert.True(LogOwner.Read(Directory.Path)!.IsRunning);
    }

    private long FirstFlushEnd { get; set; }

    private EmbeddedLogOptions ReadOnly() => new() { RootPath = Directory.Path, ReadOnly = true, ReadOnlyPollMs = 5 };

    /// <summary>Writes two flushes to partition 0 and closes; returns the segment, with <see cref="FirstFlushEnd"/> set.</summary>
    private async Task<string> WriteTwoFlushesAsync(int first, int second)
    {
        await using var log = EmbeddedEventLog.Open(Options());
        await log.CreateTopicAsync(Topic, 1);
        await AppendAsync(log, 0, first, perFlush: first);
        var segment = Assert.Single(SegmentFiles(0));
        FirstFlushEnd = new FileInfo(segment).Length;
        await AppendAsync(log, first, second, perFlush: second);
        return segment;
    }

    /// <summary>Checks every record of <paramref name="batch"/> is the probe's record at its offset; returns the next offset.</summary>
    private static long Check(RecordBatch batch, long next)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            var r = batch[i];
            Assert.Equal(next + i, r.Offset);
            Assert.Equal(r.Offset, BitConverter.ToInt64(r.Key));
            Assert.True(r.Value.SequenceEqual(ValueOf(r.Offset)), $"value at offset {r.Offset}");
        }

        return batch.Count == 0 ? next : batch.NextOffset;
    }

    private static long SegmentBase(string path) => long.Parse(Path.GetFileNameWithoutExtension(path), CultureInfo.InvariantCulture);

    private Process StartProbe(string probe, out StrongBox acknowledged)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(probe);
        start.ArgumentList.Add(Directory.Path);
        var process = Process.Start(start)!;
        var box = new StrongBox();
        acknowledged = box;
        process.OutputDataReceived += (_, e) =>
        {
            if (long.TryParse(e.Data, CultureInfo.InvariantCulture, out var n))
            {
                Volatile.Write(ref box.Value, Math.Max(Volatile.Read(ref box.Value), n));
            }
        };
        process.BeginOutputReadLine();
        return process;
    }

    private static async Task WaitForAsync(Func<bool> done, Process process, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!done())
        {
            if (process.HasExited)
            {
                Assert.Fail($"{failure}: it exited ({process.ExitCode}): {await process.StandardError.ReadToEndAsync()}");
            }

            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(50);
        }
    }

    /// <summary>The probe's highest acknowledged record, written by its output handler.</summary>
    private sealed class StrongBox
    {
#pragma warning disable CA1051 // a field, so Volatile can read and write it
        public long Value = -1;
#pragma warning restore CA1051
    }
}

using System.Diagnostics;
using System.Globalization;
using Lambda.Log.Embedded;
using Lambda.SharedModel.Log;

namespace Lambda.Log.Tests.Embedded;

/// <summary>A writer killed with SIGKILL at a random moment loses nothing it acknowledged and leaves nothing torn.</summary>
public sealed class KillNineTests : EmbeddedLogFixture
{
    [Fact]
    public async Task every_acknowledged_record_survives_kill_9_and_nothing_torn_is_served()
    {
        var probe = AppendProbePath();
        Assert.True(File.Exists(probe), $"the append probe is not built at {probe}");
        var random = new Random();
        var acknowledged = -1L;
        var verified = 0L;
        for (var round = 0; round < 5; round++)
        {
            var highest = await RunAndKillAsync(probe, TimeSpan.FromMilliseconds(random.Next(50, 600)));
            Assert.True(highest > acknowledged, $"round {round}: the probe acknowledged nothing new");
            acknowledged = highest;

            // Reopening after the kill cuts any torn tail; what earlier rounds verified is checked again at the end.
            await using var log = OpenAsProbeDoes();
            var end = (await log.GetOffsetsAsync(new TopicPartition(Topic, 0))).End;
            Assert.True(end > acknowledged, $"round {round}: acknowledged up to {acknowledged}, log ends at {end}");
            Assert.Equal(end, await ReadAndCheckAsync(log, from: verified));
            verified = end;
        }

        await using var final = OpenAsProbeDoes();
        Assert.Equal(verified, await ReadAndCheckAsync(final));
        Assert.True(SegmentFiles(0).Length > 1, "the rounds should have rolled segments too");
    }

    private EmbeddedEventLog OpenAsProbeDoes() =>
        EmbeddedEventLog.Open(new EmbeddedLogOptions { RootPath = Directory.Path, SegmentBytes = 256 * 1024 });

    /// <summary>Starts the probe, lets it append past its start-up plus <paramref name="extra"/>, kills it; returns its last acknowledgement.</summary>
    private async Task<long> RunAndKillAsync(string probe, TimeSpan extra)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(probe);
        start.ArgumentList.Add(Directory.Path);
        using var process = Process.Start(start)!;
        var highest = -1L;
        var firstAck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stdout = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                // A line cut by the kill is a prefix of a number, never larger than the truth.
                if (long.TryParse(line, CultureInfo.InvariantCulture, out var n))
                {
                    Volatile.Write(ref highest, Math.Max(Volatile.Read(ref highest), n));
                    firstAck.TrySetResult();
                }
            }
        });
        var stderr = process.StandardError.ReadToEndAsync();

        var started = await Task.WhenAny(firstAck.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.True(firstAck.Task.IsCompleted, $"the probe acknowledged nothing: {(process.HasExited ? await stderr : "still starting")}");
        Assert.Same(firstAck.Task, started);
        await Task.Delay(extra);

        process.Kill(entireProcessTree: false); // SIGKILL on Unix
        await process.WaitForExitAsync();
        await stdout;
        return Volatile.Read(ref highest);
    }
}

using Lambda.Generator;
using Lambda.Generator.Pacing;
using Microsoft.Extensions.Time.Testing;

namespace Lambda.Generator.Tests;

public sealed class DeterminismTests
{
    private static readonly GeneratorOptions Options = new() { Seed = 42, ViewsBeforeServedShare = 0.1, LateFraction = 0.01 };

    [Fact]
    public void same_seed_gives_identical_bytes_whatever_the_batch_size()
    {
        var a = Traffic.Bytes(Options, 50_000, batchSize: 1000);
        var b = Traffic.Bytes(Options, 50_000, batchSize: 777);
        var c = Traffic.Bytes(Options, 50_000, batchSize: 1);

        Assert.True(a.Length > 50_000 * 100);
        Assert.Equal(a, b);
        Assert.Equal(a, c);
    }

    [Fact]
    public void record_by_record_writing_matches_the_batch_bytes()
    {
        var generator = new TrafficGenerator(Options);
        using var output = new MemoryStream();
        var buffer = new byte[TrafficGenerator.MaxRecordBytes];
        for (var i = 0; i < 20_000; i++)
        {
            Assert.True(generator.TryNext(out var e));
            output.Write(buffer, 0, generator.WriteJson(e, buffer, includeType: true));
            output.WriteByte((byte)'\n');
        }

        Assert.Equal(Traffic.Bytes(Options, 20_000, 4096), output.ToArray());
    }

    [Fact]
    public void different_seeds_give_different_traffic()
    {
        var a = Traffic.Bytes(Options, 1000, 1000);
        var b = Traffic.Bytes(Options with { Seed = 43 }, 1000, 1000);

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void open_loop_pacing_sends_the_same_bytes_as_the_as_fast_mode()
    {
        var options = Options with { EventsPerSecond = 5000 };
        var clock = new FakeTimeProvider(options.StartTime);
        var pacer = new OpenLoopPacer(new TrafficGenerator(options), clock);
        var batch = new GeneratedBatch(300, includeType: true);
        using var paced = new MemoryStream();
        for (var step = 0; step < 37; step++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(271));
            pacer.EmitDue(batch, b => paced.Write(b.JsonLines));
        }

        Assert.True(pacer.Sent > 40_000);
        Assert.Equal(Traffic.Bytes(options, pacer.Sent, 2048), paced.ToArray());
    }
}

using Lambda.Generator;
using Lambda.Generator.Pacing;
using Microsoft.Extensions.Time.Testing;

namespace Lambda.Generator.Tests;

public sealed class OpenLoopPacerTests
{
    [Fact]
    public void open_loop_pacer_sends_the_rate_per_simulated_second()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var pacer = OpenLoopPacer.FollowingClock(new GeneratorOptions { EventsPerSecond = 2500 }, clock);
        var batch = new GeneratedBatch(1000);

        Assert.Equal(0, pacer.EmitDue(batch, _ => { }));
        for (var second = 1; second <= 5; second++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            var batches = 0;
            Assert.Equal(2500, pacer.EmitDue(batch, _ => batches++));
            Assert.Equal(3, batches);
            Assert.Equal(second * 2500L, pacer.Sent);
        }
    }

    [Fact]
    public void a_pause_is_caught_up_in_one_burst_rather_than_shifting_the_schedule()
    {
        var clock = new FakeTimeProvider();
        var pacer = new OpenLoopPacer(new TrafficGenerator(new GeneratorOptions { EventsPerSecond = 100 }), clock);
        var batch = new GeneratedBatch(64);

        clock.Advance(TimeSpan.FromMilliseconds(2505));

        Assert.Equal(250, pacer.EmitDue(batch, _ => { }));
        clock.Advance(TimeSpan.FromMilliseconds(495));
        Assert.Equal(50, pacer.EmitDue(batch, _ => { }));
    }

    [Fact]
    public async Task run_async_never_sends_a_record_before_its_time_and_event_time_follows_the_clock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var options = new GeneratorOptions { EventsPerSecond = 200, Duration = TimeSpan.FromSeconds(2), LateFraction = 0 };
        var pacer = OpenLoopPacer.FollowingClock(options, clock);
        var early = 0;
        var sent = 0;
        var run = pacer.RunAsync(new GeneratedBatch(50), (b, _) =>
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            for (var i = 0; i < b.Count; i++)
            {
                early += b.Event(i).ArrivalTimeMs > now ? 1 : 0;
            }

            Interlocked.Add(ref sent, b.Count);
            return ValueTask.CompletedTask;
        });

        // Drive the fake clock until the bounded run (400 records plus drained follow-ups) completes.
        for (var step = 0; step < 100_000 && !run.IsCompleted; step++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(20));
            await Task.Delay(1);
        }

        await run;
        Assert.Equal(0, early);
        Assert.True(pacer.Generator.IsCompleted);
        Assert.Equal(pacer.Sent, sent);
        Assert.True(sent >= 400, $"{sent} records");
    }
}

namespace Lambda.Generator.Pacing;

/// <summary>
/// Open-loop sending at <see cref="GeneratorOptions.EventsPerSecond"/>: the record of arrival slot n
/// (<see cref="GeneratedEvent.Sequence"/>) is sent at start + (n + 1) / rate on the injected clock, whatever the consumer does. A slow sink does not
/// slow the schedule: the next round sends everything that fell due meanwhile, as a burst.
/// </summary>
public sealed class OpenLoopPacer
{
    private readonly TimeProvider _clock;
    private readonly long _startTimestamp;
    private readonly long _rate;
    private readonly long _firstSlot;
    private readonly long _firstEmitted;

    /// <summary>Paces <paramref name="generator"/> from the clock's current instant.</summary>
    public OpenLoopPacer(TrafficGenerator generator, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(clock);
        Generator = generator;
        _clock = clock;
        _rate = generator.Options.EventsPerSecond;
        _startTimestamp = clock.GetTimestamp();
        _firstSlot = generator.NextRecordSlot;
        _firstEmitted = generator.Emitted;
    }

    /// <summary>
    /// Paces <paramref name="generator"/> (not yet advanced) on an absolute schedule: slot n is due at
    /// <paramref name="firstDue"/> + (n + 1) / <paramref name="sendRate"/>, so a pacer made again after a
    /// restart keeps the original schedule and sends what fell due meanwhile as one catch-up burst.
    /// </summary>
    public OpenLoopPacer(TrafficGenerator generator, TimeProvider clock, DateTimeOffset firstDue, long sendRate)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentOutOfRangeException.ThrowIfLessThan(sendRate, 1);
        Generator = generator;
        _clock = clock;
        _rate = sendRate;
        var sinceFirstDue = clock.GetUtcNow() - firstDue;
        _startTimestamp = clock.GetTimestamp() - (long)(sinceFirstDue.TotalSeconds * clock.TimestampFrequency);
        _firstSlot = 0;
        _firstEmitted = generator.Emitted;
    }

    /// <summary>A pacer whose generator starts its event time at the clock's now, so event time follows the clock.</summary>
    public static OpenLoopPacer FollowingClock(GeneratorOptions options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        return new OpenLoopPacer(new TrafficGenerator(options with { StartTime = clock.GetUtcNow() }), clock);
    }

    public TrafficGenerator Generator { get; }

    /// <summary>Records sent by this pacer.</summary>
    public long Sent => Generator.Emitted - _firstEmitted;

    /// <summary>How many arrival slots have come due since the pacer's start.</summary>
    public long DueCount()
    {
        var elapsed = _clock.GetElapsedTime(_startTimestamp);
        return (long)((Int128)elapsed.Ticks * _rate / TimeSpan.TicksPerSecond);
    }

    /// <summary>Arrival slots since the pacer's start that are already produced.</summary>
    private long SlotsDone => Generator.NextRecordSlot == long.MaxValue ? long.MaxValue : Generator.NextRecordSlot - _firstSlot;

    private int NextDueBatch(GeneratedBatch batch, long due) =>
        SlotsDone >= due ? 0 : Generator.NextBatch(batch, batch.Capacity, _firstSlot + due);

    /// <summary>Sends every record due by now through <paramref name="sink"/>, a batch at a time; returns how many.</summary>
    public long EmitDue(GeneratedBatch batch, Action<GeneratedBatch> sink)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(sink);
        var before = Sent;
        var due = DueCount();
        while (NextDueBatch(batch, due) > 0)
        {
            sink(batch);
        }

        return Sent - before;
    }

    /// <summary>Sends every record due by now through <paramref name="sink"/>, a batch at a time; returns how many.</summary>
    public async Task<long> SendDueAsync(GeneratedBatch batch, Func<GeneratedBatch, CancellationToken, ValueTask> sink,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(sink);
        var before = Sent;
        var due = DueCount();
        while (NextDueBatch(batch, due) > 0)
        {
            await sink(batch, cancellationToken).ConfigureAwait(false);
        }

        return Sent - before;
    }

    /// <summary>
    /// Sends on schedule until the generator completes or <paramref name="cancellationToken"/> fires,
    /// sleeping on the clock between rounds (at least 1 ms, so high rates go out in batches).
    /// </summary>
    public async Task RunAsync(GeneratedBatch batch, Func<GeneratedBatch, CancellationToken, ValueTask> sink,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(sink);
        while (!Generator.IsCompleted)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var due = DueCount();
            while (NextDueBatch(batch, due) > 0)
            {
                await sink(batch, cancellationToken).ConfigureAwait(false);
            }

            if (Generator.IsCompleted)
            {
                break;
            }

            var nextDueTicks = (long)(((Int128)(SlotsDone + 1) * TimeSpan.TicksPerSecond + _rate - 1) / _rate);
            var wait = TimeSpan.FromTicks(nextDueTicks) - _clock.GetElapsedTime(_startTimestamp);
            await Task.Delay(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait, _clock, cancellationToken)
                .ConfigureAwait(false);
        }
    }
}

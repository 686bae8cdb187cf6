namespace Lambda.Speed.State;

/// <summary>
/// The event-time watermark of one partition: the minimum, over its topics, of the highest event
/// time seen, minus the allowed lateness. A topic that has been silent for the idle timeout (in
/// log time, so that a replay decides alike) does not hold it back. A topic that has never had a
/// record holds it still until the idle timeout has passed since the partition's first record: on
/// Kafka each topic has its own leader, so a burst's first served records can land after views
/// minutes later in event time, and letting those views move the watermark would make the served
/// records late.
/// The watermark never moves backwards, and no event moves it past its record's log time plus the
/// allowed future skew (the decoder already rejects such events; this bound holds whatever reaches it).
/// </summary>
internal sealed class EventTimeWatermark
{
    /// <summary>Watermark before any event: nothing is late.</summary>
    public const long Start = long.MinValue;

    private readonly long[] _maxEventTime;
    private readonly long[] _lastLogTime;
    private readonly bool[] _seen;
    // Whether any record was observed: from the first one, a topic with none yet counts its silence
    // (its _lastLogTime is set to that record's log time).
    private bool _started;
    private readonly long _latenessMs;
    private readonly long _idleMs;
    private readonly long _maxFutureSkewMs;
    // Whether anything Recompute reads changed since it last ran: most records change nothing (same
    // millisecond, no new maximum), and then the watermark cannot move.
    private bool _changed = true;

    public EventTimeWatermark(int topics, TimeSpan allowedLateness, TimeSpan idleTimeout, TimeSpan maxFutureSkew)
    {
        _maxFutureSkewMs = (long)maxFutureSkew.TotalMilliseconds;
        _maxEventTime = new long[topics];
        _lastLogTime = new long[topics];
        _seen = new bool[topics];
        _latenessMs = (long)allowedLateness.TotalMilliseconds;
        _idleMs = (long)idleTimeout.TotalMilliseconds;
        Current = Start;
    }

    /// <summary>The current watermark (epoch ms), or <see cref="Start"/>.</summary>
    public long Current { get; private set; }

    /// <summary>The latest log time observed: the partition's processing clock.</summary>
    public long LogTimeMs { get; private set; } = long.MinValue;

    public int Topics => _seen.Length;

    /// <summary>Notes an event of <paramref name="topic"/>. Does not move the watermark: call <see cref="Recompute"/>.</summary>
    public void Observe(int topic, long eventTimeMs, long logTimeMs)
    {
        eventTimeMs = Math.Min(eventTimeMs, logTimeMs + _maxFutureSkewMs);
        if (!_started)
        {
            _started = true;
            Array.Fill(_lastLogTime, logTimeMs);
        }

        if (!_seen[topic] || eventTimeMs > _maxEventTime[topic])
        {
            _maxEventTime[topic] = eventTimeMs;
            _seen[topic] = true;
            _changed = true;
        }

        if (logTimeMs > _lastLogTime[topic])
        {
            _lastLogTime[topic] = logTimeMs;
            _changed = true;
        }

        AdvanceLogTime(logTimeMs);
    }

    /// <summary>Moves the processing clock forward without an event (the log promised nothing older will come).</summary>
    public void AdvanceLogTime(long logTimeMs)
    {
        if (logTimeMs > LogTimeMs)
        {
            LogTimeMs = logTimeMs;
            _changed = true;
        }
    }

    /// <summary>Recomputes the watermark; returns true if it moved.</summary>
    public bool Recompute()
    {
        if (!_changed)
        {
            return false;
        }

        _changed = false;
        var activeMin = long.MaxValue;
        var anyActive = false;
        var overallMax = long.MinValue;
        for (var t = 0; t < _seen.Length; t++)
        {
            if (!_seen[t])
            {
                if (_started && LogTimeMs - _lastLogTime[t] <= _idleMs)
                {
                    return false; // a topic not heard from yet might still bring the earliest events
                }

                continue;
            }

            overallMax = Math.Max(overallMax, _maxEventTime[t]);
            if (LogTimeMs - _lastLogTime[t] <= _idleMs)
            {
                anyActive = true;
                activeMin = Math.Min(activeMin, _maxEventTime[t]);
            }
        }

        if (overallMax == long.MinValue)
        {
            return false;
        }

        // With every topic idle, nothing more is coming soon: let the watermark reach the newest event.
        var candidate = (anyActive ? activeMin : overallMax) - _latenessMs;
        if (candidate <= Current)
        {
            return false;
        }

        Current = candidate;
        return true;
    }

    /// <summary>Copies the state out for a checkpoint.</summary>
    public (long MaxEventTime, long LastLogTime, bool Seen) GetTopic(int topic) =>
        (_maxEventTime[topic], _lastLogTime[topic], _seen[topic]);

    /// <summary>Restores the state from a checkpoint.</summary>
    public void Restore(long current, long logTimeMs, IReadOnlyList<(long MaxEventTime, long LastLogTime, bool Seen)> topics)
    {
        Current = current;
        LogTimeMs = logTimeMs;
        _changed = true;
        for (var t = 0; t < topics.Count && t < _seen.Length; t++)
        {
            (_maxEventTime[t], _lastLogTime[t], _seen[t]) = topics[t];
            _started |= _seen[t];
        }
    }
}

using System.Diagnostics;

namespace Lambda.Batch.Archive;

/// <summary>
/// A lap timer for one worker: <see cref="Lap"/> charges the wall and thread CPU time since the previous
/// lap to a stage. If an await moved the worker to another thread in between, the CPU time of that lap
/// cannot be known and only its wall time is charged. A mutable struct: keep it in a field or local.
/// </summary>
internal struct StageClock(ArchiveTimings timings)
{
    private long _wall = Stopwatch.GetTimestamp();
    private long _cpuNs = ThreadCpuClock.NowNs();
    private int _thread = Environment.CurrentManagedThreadId;

    /// <summary>Starts a new lap without charging the time since the last one.</summary>
    public void Restart()
    {
        _wall = Stopwatch.GetTimestamp();
        _cpuNs = ThreadCpuClock.NowNs();
        _thread = Environment.CurrentManagedThreadId;
    }

    /// <summary>Charges the time since the previous lap to <paramref name="stage"/>.</summary>
    public void Lap(ArchiveStage stage)
    {
        var wall = Stopwatch.GetTimestamp();
        var cpuNs = ThreadCpuClock.NowNs();
        var thread = Environment.CurrentManagedThreadId;
        timings.Add(stage, Stopwatch.GetElapsedTime(_wall, wall), thread == _thread ? cpuNs - _cpuNs : 0);
        _wall = wall;
        _cpuNs = cpuNs;
        _thread = thread;
    }
}

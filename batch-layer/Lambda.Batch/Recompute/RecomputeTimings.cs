using System.Diagnostics;
using System.Globalization;

namespace Lambda.Batch.Recompute;

/// <summary>
/// Wall time per stage of one recompute, summed over days, in the order stages first ran; logged by
/// <see cref="BatchRecomputer"/> and printed by the benchmark, to show where the time goes. Also the
/// process CPU time per stage (all threads: DuckDB's and ours), which a loaded machine distorts less
/// than wall time.
/// </summary>
/// <param name="stageStarted">Told each stage's name as it starts (a command's progress display).</param>
public sealed class RecomputeTimings(IProgress<string>? stageStarted = null)
{
    private readonly List<(string Stage, TimeSpan Elapsed)> _stages = [];
    private readonly Dictionary<string, TimeSpan> _cpu = new(StringComparer.Ordinal);

    /// <summary>The stages and their summed wall time.</summary>
    public IReadOnlyList<(string Stage, TimeSpan Elapsed)> Stages => _stages;

    /// <summary>Times <paramref name="work"/> as (part of) <paramref name="stage"/>.</summary>
    public T Measure<T>(string stage, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var started = Start(stage);
        try
        {
            return work();
        }
        finally
        {
            Stop(stage, started);
        }
    }

    /// <summary>Times <paramref name="work"/> as (part of) <paramref name="stage"/>.</summary>
    public void Measure(string stage, Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        Measure(stage, () =>
        {
            work();
            return 0;
        });
    }

    /// <summary>Times asynchronous <paramref name="work"/> as (part of) <paramref name="stage"/>, until its task ends.</summary>
    public async Task<T> MeasureAsync<T>(string stage, Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var started = Start(stage);
        try
        {
            return await work().ConfigureAwait(false);
        }
        finally
        {
            Stop(stage, started);
        }
    }

    /// <summary>Times asynchronous <paramref name="work"/> as (part of) <paramref name="stage"/>, until its task ends.</summary>
    public Task MeasureAsync(string stage, Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return MeasureAsync(stage, async () =>
        {
            await work().ConfigureAwait(false);
            return 0;
        });
    }

    private (long Wall, TimeSpan Cpu) Start(string stage)
    {
        stageStarted?.Report(stage);
        return (Stopwatch.GetTimestamp(), CpuTime());
    }

    private void Stop(string stage, (long Wall, TimeSpan Cpu) started)
    {
        Add(stage, Stopwatch.GetElapsedTime(started.Wall));
        var cpu = CpuTime() - started.Cpu;
        lock (_stages)
        {
            _cpu[stage] = _cpu.GetValueOrDefault(stage) + cpu;
        }
    }

    /// <summary>Adds <paramref name="elapsed"/> to <paramref name="stage"/>.</summary>
    public void Add(string stage, TimeSpan elapsed)
    {
        // The Parquet write adds its time from another thread while the validation runs.
        lock (_stages)
        {
            var i = _stages.FindIndex(s => s.Stage == stage);
            if (i < 0)
            {
                _stages.Add((stage, elapsed));
            }
            else
            {
                _stages[i] = (stage, _stages[i].Elapsed + elapsed);
            }
        }
    }

    /// <summary>
    /// Adds the CPU time of the one thread that ran <paramref name="stage"/> (a stage beside DuckDB on
    /// its own thread, whose process CPU time would include DuckDB's).
    /// </summary>
    public void AddThreadCpu(string stage, TimeSpan cpu)
    {
        lock (_stages)
        {
            _cpu[stage] = _cpu.GetValueOrDefault(stage) + cpu;
        }
    }

    /// <summary>The summed process CPU time of <paramref name="stage"/> (zero for a stage only <see cref="Add"/>ed).</summary>
    public TimeSpan CpuOf(string stage) => _cpu.GetValueOrDefault(stage);

    /// <summary>"stage 1.23 s (cpu 2.01 s), stage 0.45 s (cpu 0.50 s), ...".</summary>
    public override string ToString() =>
        string.Join(", ", _stages.Select(s => _cpu.TryGetValue(s.Stage, out var cpu)
            ? string.Create(CultureInfo.InvariantCulture, $"{s.Stage} {s.Elapsed.TotalSeconds:F2} s (cpu {cpu.TotalSeconds:F2} s)")
            : string.Create(CultureInfo.InvariantCulture, $"{s.Stage} {s.Elapsed.TotalSeconds:F2} s")));

    private static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}

using System.Globalization;

namespace Lambda.Batch.Archive;

/// <summary>
/// Wall time and thread CPU time per <see cref="ArchiveStage"/>, summed over every worker of one run.
/// Thread CPU time is the figure to compare across machines and loads: partitions are archived on
/// several threads at once, so wall times of different stages overlap; CPU times add up.
/// Thread-safe.
/// </summary>
public sealed class ArchiveTimings
{
    private static readonly ArchiveStage[] Stages = Enum.GetValues<ArchiveStage>();

    private readonly long[] _wallTicks = new long[Stages.Length];
    private readonly long[] _cpuNs = new long[Stages.Length];

    /// <summary>Adds one measurement to <paramref name="stage"/>.</summary>
    public void Add(ArchiveStage stage, TimeSpan wall, long cpuNs)
    {
        Interlocked.Add(ref _wallTicks[(int)stage], wall.Ticks);
        Interlocked.Add(ref _cpuNs[(int)stage], cpuNs);
    }

    /// <summary>Wall time of <paramref name="stage"/>, summed over workers.</summary>
    public TimeSpan WallOf(ArchiveStage stage) => TimeSpan.FromTicks(Interlocked.Read(ref _wallTicks[(int)stage]));

    /// <summary>Thread CPU time of <paramref name="stage"/>, summed over workers (zero where the clock is unavailable).</summary>
    public TimeSpan CpuOf(ArchiveStage stage) => TimeSpan.FromTicks(Interlocked.Read(ref _cpuNs[(int)stage]) / 100);

    /// <summary>Thread CPU time of all stages.</summary>
    public TimeSpan TotalCpu => TimeSpan.FromTicks(Stages.Sum(s => CpuOf(s).Ticks));

    /// <summary>"LogRead 0.12 s (cpu 0.11 s), Decode ..." for logs.</summary>
    public override string ToString() =>
        string.Join(", ", Stages.Select(s =>
            string.Create(CultureInfo.InvariantCulture, $"{s} {WallOf(s).TotalSeconds:F2} s (cpu {CpuOf(s).TotalSeconds:F2} s)")));

    /// <summary>CPU seconds per million of <paramref name="events"/>, per stage: "LogRead 0.09, Decode 0.35, ...".</summary>
    public string CpuSecondsPerMillion(long events) =>
        string.Join(", ", Stages.Select(s =>
            string.Create(CultureInfo.InvariantCulture, $"{s} {CpuOf(s).TotalSeconds / Math.Max(events / 1e6, 1e-9):F3}")))
        + string.Create(CultureInfo.InvariantCulture, $", total {TotalCpu.TotalSeconds / Math.Max(events / 1e6, 1e-9):F3} cpu-s per million events");
}

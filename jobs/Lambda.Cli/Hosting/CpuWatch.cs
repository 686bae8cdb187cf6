using System.Diagnostics;

namespace Lambda.Cli.Hosting;

/// <summary>The process's CPU use per stats interval, in cores (1.0 = one core busy all along): near the core count, queries wait for a CPU.</summary>
internal sealed class CpuWatch
{
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private TimeSpan _cpuAtStart;

    public CpuWatch()
    {
        using var self = Process.GetCurrentProcess();
        _cpuAtStart = self.TotalProcessorTime;
    }

    /// <summary>Cores used on average since the last call, and starts the next interval.</summary>
    public double TakeCores()
    {
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var wall = _wall.Elapsed;
        _wall.Restart();
        var cores = wall > TimeSpan.Zero ? (cpu - _cpuAtStart) / wall : 0;
        _cpuAtStart = cpu;
        return cores;
    }
}

using System.Diagnostics;
using System.Globalization;

namespace Lambda.Batch.Recompute;

/// <summary>
/// Wall time per stage of one recompute, summed over days, in the order stages first ran; logged by
/// <see cref="BatchRecomputer"/> and printed by the benchmark, to show where the time goes.
/// </summary>
public sealed class RecomputeTimings
{
    private readonly List<(string Stage, TimeSpan Elapsed)> _stages = [];

    /// <summary>The stages and their summed wall time.</summary>
    public IReadOnlyList<(string Stage, TimeSpan Elapsed)> Stages => _stages;

    /// <summary>Times <paramref name="work"/> as (part of) <paramref name="stage"/>.</summary>
    public T Measure<T>(string stage, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var started = Stopwatch.GetTimestamp();
        try
        {
            return work();
        }
        finally
        {
            Add(stage, Stopwatch.GetElapsedTime(started));
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

    /// <summary>Adds <paramref name="elapsed"/> to <paramref name="stage"/>.</summary>
    public void Add(string stage, TimeSpan elapsed)
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

    /// <summary>"stage 1.23 s, stage 0.45 s, ...".</summary>
    public override string ToString() =>
        string.Join(", ", _stages.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Stage} {s.Elapsed.TotalSeconds:F2} s")));
}

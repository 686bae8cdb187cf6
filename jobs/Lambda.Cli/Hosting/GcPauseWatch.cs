namespace Lambda.Cli.Hosting;

/// <summary>
/// GC pauses per stats interval: their total (exact, from <see cref="GC.GetTotalPauseDuration"/>) and the
/// longest seen. The runtime reports the pause of its latest collection only, so the longest is found by
/// <see cref="Sample"/> being called often; a collection between two samples that is followed by another
/// before the next one is missed (mostly short gen0 collections).
/// </summary>
internal sealed class GcPauseWatch
{
    private TimeSpan _totalAtStart = GC.GetTotalPauseDuration();
    private int _collectionsAtStart = GC.CollectionCount(0);
    private long _lastIndex = GC.GetGCMemoryInfo(GCKind.Any).Index;
    private TimeSpan _maxPause;
    private int _maxPauseGeneration = -1;

    /// <summary>GCs, their total and longest pause, and the longest one's generation (-1 if none seen).</summary>
    public readonly record struct Interval(int Collections, double PauseMs, double MaxPauseMs, int MaxPauseGeneration);

    /// <summary>Looks at the latest collection; remembers its pause if it is new and the longest so far.</summary>
    public void Sample()
    {
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        if (info.Index == _lastIndex)
        {
            return;
        }

        _lastIndex = info.Index;
        var pause = TimeSpan.Zero;
        foreach (var part in info.PauseDurations)
        {
            pause += part;
        }

        if (pause > _maxPause)
        {
            (_maxPause, _maxPauseGeneration) = (pause, info.Generation);
        }
    }

    /// <summary>The interval since the last call, and starts the next.</summary>
    public Interval TakeInterval()
    {
        Sample();
        var total = GC.GetTotalPauseDuration();
        var collections = GC.CollectionCount(0);
        var interval = new Interval(collections - _collectionsAtStart, (total - _totalAtStart).TotalMilliseconds, _maxPause.TotalMilliseconds, _maxPauseGeneration);
        (_totalAtStart, _collectionsAtStart, _maxPause, _maxPauseGeneration) = (total, collections, TimeSpan.Zero, -1);
        return interval;
    }
}

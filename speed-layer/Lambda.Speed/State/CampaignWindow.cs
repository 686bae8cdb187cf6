using Lambda.SharedModel.Sketches;
using Lambda.SharedModel.Views;

namespace Lambda.Speed.State;

/// <summary>
/// The running aggregate of one (campaign, minute) in one partition: mutable counters, the unique
/// users sketch, and whether it changed since it was last written to the speed view and since the
/// last checkpoint. Once no event can reach the sketch any more (final, and past the join horizon)
/// and its row is in the store, the sketch is released: the window keeps only its counters, which
/// late, bot and duplicate events still change, and is written counters-only.
/// </summary>
internal sealed class CampaignWindow
{
    /// <summary>
    /// Estimated bytes a window costs without its sketch: this object (88 B), its dictionary entry
    /// (36 B), its key in the bucket index and in the checkpoint's changed list (16 B each), plus
    /// growth slack (195 B measured over a 100,000-window state). Memory only; nothing depends on it.
    /// </summary>
    public const int CountersBytes = 180;

    public long Impressions;
    public long Views;
    public long Clicks;
    public long SpendMicros;
    public long BotFiltered;
    public long Late;
    public long Duplicates;

    /// <summary>The unique users; null once released (see <see cref="SketchReleased"/>).</summary>
    public HyperLogLog? Uniques = new();

    /// <summary>The sketch's memory as last accounted in the processor's state size (at its last flush).</summary>
    public int SketchBytesCounted;

    /// <summary>Changed since the last flush to the speed view.</summary>
    public bool Dirty;

    /// <summary>Changed since the last checkpoint (set when a flush collects it, so the hot path does not pay for it).</summary>
    public bool Changed;

    /// <summary>The watermark has passed the window's end.</summary>
    public bool Final;

    /// <summary>The sketch is stored in the view and no longer held: the window is written counters-only.</summary>
    public bool SketchReleased => Uniques is null;

    public MetricCounts Counts => new(Impressions, Views, Clicks, SpendMicros, BotFiltered, Late, 0, Duplicates);
}

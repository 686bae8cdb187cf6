using Lambda.SharedModel.Sketches;
using Lambda.SharedModel.Views;

namespace Lambda.Speed.State;

/// <summary>
/// The running aggregate of one (campaign, minute) in one partition: mutable counters, the unique
/// users sketch, and whether it changed since it was last written to the speed view and since the
/// last checkpoint.
/// </summary>
internal sealed class CampaignWindow
{
    public long Impressions;
    public long Views;
    public long Clicks;
    public long SpendMicros;
    public long BotFiltered;
    public long Late;
    public long Duplicates;
    public HyperLogLog Uniques = new();

    /// <summary>Changed since the last flush to the speed view.</summary>
    public bool Dirty;

    /// <summary>Changed since the last checkpoint (set when a flush collects it, so the hot path does not pay for it).</summary>
    public bool Changed;

    /// <summary>The watermark has passed the window's end.</summary>
    public bool Final;

    public MetricCounts Counts => new(Impressions, Views, Clicks, SpendMicros, BotFiltered, Late, 0, Duplicates);
}

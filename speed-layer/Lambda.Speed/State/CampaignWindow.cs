using Lambda.SharedModel.Sketches;
using Lambda.SharedModel.Views;

namespace Lambda.Speed.State;

/// <summary>
/// The running aggregate of one (campaign, minute) in one partition: mutable counters, the unique
/// users sketch, and whether it changed since it was last written to the speed view.
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

    /// <summary>The watermark has passed the window's end.</summary>
    public bool Final;

    public MetricCounts Counts => new(Impressions, Views, Clicks, SpendMicros, BotFiltered, Late, 0, Duplicates);
}

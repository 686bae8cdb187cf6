namespace Lambda.Speed.State;

/// <summary>
/// Totals of one partition since its state began. Events whose campaign is unknown (unattributed
/// views and clicks, or late, bot and duplicate ones of unknown ads) are only counted here.
/// </summary>
internal sealed class PartitionCounters
{
    public long Processed;
    public long BotFiltered;
    public long Late;
    public long Unattributed;
    public long Duplicates;
    public long DeadLettered;
    /// <summary>Served records naming an advertiser that does not own their campaign (also in <see cref="DeadLettered"/>).</summary>
    public long OwnerMismatched;
    /// <summary>Records whose event time lay too far ahead of their log time (also in <see cref="DeadLettered"/>).</summary>
    public long FutureDated;
    public long WindowsEvicted;
}

namespace Lambda.Generator.Oracle;

/// <summary>Running counts of one campaign-minute. Users are indices, not strings, to stay compact.</summary>
internal sealed class BucketAccumulator(int campaign, long bucketStartMs)
{
    public readonly int Campaign = campaign;
    public readonly long BucketStartMs = bucketStartMs;
    public readonly HashSet<int> Users = [];
    public long Impressions;
    public long Views;
    public long Clicks;
    public long SpendMicros;
    public long BotFiltered;
    public long Duplicates;
    public long Late;
    public long ViewsBeforeServed;
}

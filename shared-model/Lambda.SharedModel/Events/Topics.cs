namespace Lambda.SharedModel.Events;

/// <summary>Topic names of the event log and the mapping between topics and event kinds.</summary>
public static class Topics
{
    public const string Served = "ad-served";
    public const string Views = "ad-views";
    public const string Clicks = "ad-clicks";
    public const string DeadLetters = "dead-letters";

    /// <summary>The three event topics, in the fixed order the speed layer merges them.</summary>
    public static readonly IReadOnlyList<string> EventTopics = [Served, Views, Clicks];

    /// <summary>Every topic the platform creates, event topics first.</summary>
    public static readonly IReadOnlyList<string> All = [Served, Views, Clicks, DeadLetters];

    public static string ForKind(EventKind kind) => kind switch
    {
        EventKind.Served => Served,
        EventKind.View => Views,
        EventKind.Click => Clicks,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown event kind"),
    };

    public static bool TryGetKind(string topic, out EventKind kind)
    {
        switch (topic)
        {
            case Served: kind = EventKind.Served; return true;
            case Views: kind = EventKind.View; return true;
            case Clicks: kind = EventKind.Click; return true;
            default: kind = default; return false;
        }
    }
}

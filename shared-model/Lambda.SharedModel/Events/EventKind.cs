namespace Lambda.SharedModel.Events;

/// <summary>The three kinds of ad event, one per topic.</summary>
public enum EventKind : byte
{
    Served = 0,
    View = 1,
    Click = 2,
}

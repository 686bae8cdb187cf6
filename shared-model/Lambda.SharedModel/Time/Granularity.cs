namespace Lambda.SharedModel.Time;

/// <summary>The width of a metrics bucket. Minute buckets are rolled up to hours and days.</summary>
public enum Granularity : byte
{
    Minute = 0,
    Hour = 1,
    Day = 2,
}

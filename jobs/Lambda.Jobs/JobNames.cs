namespace Lambda.Jobs;

/// <summary>The names of the scheduled jobs, as the job history and `lambda jobs` show them.</summary>
public static class JobNames
{
    /// <summary>The nightly exact recompute of the batch view.</summary>
    public const string Recompute = "recompute";

    /// <summary>The hourly archive of the log into the master dataset.</summary>
    public const string Archive = "archive";

    /// <summary>Deletes speed rows the batch view has covered for longer than the grace period.</summary>
    public const string SpeedRetention = "speed-retention";

    /// <summary>Every job, in the order `lambda jobs` lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Archive, Recompute, SpeedRetention];
}

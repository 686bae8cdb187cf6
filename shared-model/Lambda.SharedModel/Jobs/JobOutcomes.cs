namespace Lambda.SharedModel.Jobs;

/// <summary>The outcomes a <see cref="JobRun"/> records.</summary>
public static class JobOutcomes
{
    /// <summary>Started, not ended yet.</summary>
    public const string Running = "running";
    /// <summary>Ended without error.</summary>
    public const string Succeeded = "succeeded";
    /// <summary>Ended with a fatal error, or with transient errors after its last retry.</summary>
    public const string Failed = "failed";
    /// <summary>Stopped by a shutdown before it ended.</summary>
    public const string Cancelled = "cancelled";
}

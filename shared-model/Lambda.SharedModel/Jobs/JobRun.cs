namespace Lambda.SharedModel.Jobs;

/// <summary>
/// One run of a scheduled job, as the job history keeps it: started, then ended with an outcome.
/// A run still <see cref="JobOutcomes.Running"/> has no end (or its host died; see <see cref="Instance"/>).
/// </summary>
/// <param name="JobName">The job, e.g. "recompute", "archive", "speed-retention".</param>
/// <param name="Instance">The scheduler instance (host) that ran it.</param>
/// <param name="Trigger">Why it ran: "schedule", "misfire", "startup" or "manual".</param>
/// <param name="Rows">Rows (records, views rows) the run processed or deleted; 0 while running.</param>
/// <param name="Attempts">Attempts made, counting transient failures that were retried.</param>
/// <param name="Error">The last error of a failed run, or null.</param>
public sealed record JobRun(
    long RunId,
    string JobName,
    string Instance,
    string Trigger,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string Outcome,
    long Rows,
    int Attempts,
    string? Error)
{
    /// <summary>How long the run took, or null while it runs.</summary>
    public TimeSpan? Duration => EndedAt - StartedAt;
}

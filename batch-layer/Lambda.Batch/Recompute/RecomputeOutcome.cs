namespace Lambda.Batch.Recompute;

/// <summary>How a recompute run ended.</summary>
public enum RecomputeOutcome
{
    /// <summary>A new version was validated, loaded and made current.</summary>
    Published,

    /// <summary>No complete day in the master dataset yet: no version was made.</summary>
    NothingToDo,

    /// <summary>Validation failed: the current version is untouched and the failure is recorded.</summary>
    ValidationFailed,
}

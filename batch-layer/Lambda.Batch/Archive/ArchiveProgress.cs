namespace Lambda.Batch.Archive;

/// <summary>How far a run is: log records processed (valid or not) out of the records it set out to read.</summary>
public readonly record struct ArchiveProgress(long RecordsDone, long RecordsTotal)
{
    /// <summary>Done as a fraction in [0, 1] (1 when there was nothing to do).</summary>
    public double Fraction => RecordsTotal <= 0 ? 1 : Math.Clamp((double)RecordsDone / RecordsTotal, 0, 1);
}

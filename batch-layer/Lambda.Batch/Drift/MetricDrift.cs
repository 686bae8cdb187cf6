namespace Lambda.Batch.Drift;

/// <summary>One metric as the speed layer had it and as the batch layer computed it exactly.</summary>
public sealed record MetricDrift(long Speed, long Batch)
{
    /// <summary>Speed minus batch: positive when the speed layer over-counted.</summary>
    public long Difference => Speed - Batch;
}

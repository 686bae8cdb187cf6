namespace Lambda.Jobs.Scheduled;

/// <summary>The hourly archive of the log into the master dataset.</summary>
public sealed class HourlyArchiveJob : ScheduledJob
{
    private readonly IBatchOperations _batch;

    internal HourlyArchiveJob(JobRunner runner, IBatchOperations batch)
        : base(runner) => _batch = batch;

    private protected override Task<long> BodyAsync(CancellationToken cancellationToken) => _batch.ArchiveAsync(cancellationToken);
}

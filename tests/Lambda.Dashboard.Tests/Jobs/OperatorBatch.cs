using Lambda.Jobs;

namespace Lambda.Dashboard.Tests.Jobs;

/// <summary>
/// The batch layer behind the scheduler's dashboard test: the archive succeeds with a fixed row count,
/// the recompute always fails with a fatal error, so the dashboard has one of each to show.
/// </summary>
internal sealed class OperatorBatch : IBatchOperations
{
    public const string RecomputeError = "master file day=2026-11-21 is corrupt";

    public Task<long> ArchiveAsync(CancellationToken cancellationToken) => Task.FromResult(7L);

    public Task<long> RecomputeAsync(bool full, CancellationToken cancellationToken) => throw new InvalidDataException(RecomputeError);
}

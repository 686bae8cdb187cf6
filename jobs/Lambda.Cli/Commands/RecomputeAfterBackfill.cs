using Lambda.Batch.Backfill;
using Lambda.Batch.Recompute;

namespace Lambda.Cli.Commands;

/// <summary>The backfill's recompute hook, keeping the outcome for the command to report.</summary>
internal sealed class RecomputeAfterBackfill(BatchRecomputer recomputer) : IRecompute
{
    public RecomputeResult? Result { get; private set; }

    public async Task RecomputeAsync(CancellationToken cancellationToken) =>
        Result = await recomputer.RunAsync(new RecomputeRequest(), cancellationToken).ConfigureAwait(false);
}

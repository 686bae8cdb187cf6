using Lambda.Batch.Archive;
using Lambda.Batch.Recompute;
using Lambda.Jobs;
using Lambda.SharedModel.Bots;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Views;
using Microsoft.Extensions.Logging;

namespace Lambda.Cli.Hosting;

/// <summary>
/// The scheduler's batch operations over the real batch layer: <see cref="ArchiveJob"/> (log → master
/// dataset in &lt;data-dir&gt;/master) and <see cref="BatchRecomputer"/> (master → a new batch view version).
/// </summary>
internal sealed class LambdaBatchOperations(
    IEventLog log, IViewStore store, string dataDirectory, BotRules bots, int? threads, ILoggerFactory loggers) : IBatchOperations
{
    public async Task<long> ArchiveAsync(CancellationToken cancellationToken)
    {
        var job = new ArchiveJob(log, new ArchiveOptions
        {
            MasterRoot = Path.Combine(dataDirectory, "master"),
            MaxParallelism = threads ?? Environment.ProcessorCount,
        }, loggers.CreateLogger("Lambda.Batch.Archive"));
        var result = await job.RunAsync(progress: null, cancellationToken).ConfigureAwait(false);
        return result.Records;
    }

    public async Task<long> RecomputeAsync(bool full, CancellationToken cancellationToken)
    {
        var recomputer = new BatchRecomputer(store, new RecomputeOptions
        {
            DataDirectory = dataDirectory,
            BotRules = bots,
            Threads = threads,
        }, loggers.CreateLogger("Lambda.Batch.Recompute"));
        var result = await recomputer.RunAsync(new RecomputeRequest(Full: full), cancellationToken).ConfigureAwait(false);
        if (result.Outcome == RecomputeOutcome.ValidationFailed)
        {
            // Not transient: the same master data fails the same way. The current version stays in place.
            throw new InvalidDataException($"batch version {result.VersionId} failed validation: {string.Join("; ", result.Problems)}");
        }

        return result.Rows;
    }
}

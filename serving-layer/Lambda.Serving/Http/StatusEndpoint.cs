using Lambda.Serving.Api;
using Lambda.SharedModel.Jobs;
using Lambda.SharedModel.Views;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Lambda.Serving.Http;

/// <summary>
/// <c>GET /v1/status</c>: the speed layer per partition, the current batch version and, when the host
/// registered an <see cref="IJobHistoryStore"/>, the latest run of every scheduled job.
/// </summary>
internal static class StatusEndpoint
{
    public static async Task<IResult> HandleAsync(IViewStore store, HttpContext context, CancellationToken cancellationToken)
    {
        var partitions = await store.ListPartitionStatusAsync(cancellationToken).ConfigureAwait(false);
        var version = await store.GetCurrentBatchVersionAsync(cancellationToken).ConfigureAwait(false);
        var batch = new BatchStatus(version?.VersionId, version is null ? null : ApiTime.FromMs(version.WatermarkMs), version?.CreatedAt.UtcDateTime);
        var history = context.RequestServices.GetService<IJobHistoryStore>();
        var jobs = history is null ? [] : (await history.LatestRunPerJobAsync(cancellationToken).ConfigureAwait(false)).Select(JobRunJson.From).ToArray();
        return TypedResults.Ok(new ServingStatus(new SpeedStatus(partitions.Select(PartitionStatus.From).ToArray()), batch, jobs, null));
    }
}

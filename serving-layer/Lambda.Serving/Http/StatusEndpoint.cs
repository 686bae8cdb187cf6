using Lambda.Serving.Access;
using Lambda.Serving.Api;
using Lambda.SharedModel.Jobs;
using Lambda.SharedModel.Views;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Lambda.Serving.Http;

/// <summary>
/// <c>GET /v1/status</c>. Admin keys: the speed layer per partition (owners are host:pid), the current
/// batch version and, when the host registered an <see cref="IJobHistoryStore"/>, the latest run of
/// every scheduled job. Advertiser keys: only the batch version and the speed freshness (see
/// <see cref="ServingStatus"/>); the platform's layout and its errors are not theirs to see.
/// </summary>
internal static class StatusEndpoint
{
    public static async Task<IResult> HandleAsync(IViewStore store, HttpContext context, CancellationToken cancellationToken)
    {
        var admin = context.Caller().IsAdmin;
        var partitions = await store.ListPartitionStatusAsync(cancellationToken).ConfigureAwait(false);
        var version = await store.GetCurrentBatchVersionAsync(cancellationToken).ConfigureAwait(false);
        var batch = new BatchStatus(version?.VersionId, version is null ? null : ApiTime.FromMs(version.WatermarkMs), version?.CreatedAt.UtcDateTime);
        var speed = SpeedStatus.Of(partitions, listPartitions: admin);
        if (!admin)
        {
            return TypedResults.Ok(new ServingStatus(ServingStatus.AdvertiserScope, speed, batch, null, null));
        }
        var history = context.RequestServices.GetService<IJobHistoryStore>();
        var jobs = history is null ? [] : (await history.LatestRunPerJobAsync(cancellationToken).ConfigureAwait(false)).Select(JobRunJson.From).ToArray();
        return TypedResults.Ok(new ServingStatus(ServingStatus.PlatformScope, speed, batch, jobs, null));
    }
}

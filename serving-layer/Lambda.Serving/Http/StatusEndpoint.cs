using Lambda.Serving.Api;
using Lambda.SharedModel.Views;
using Microsoft.AspNetCore.Http;

namespace Lambda.Serving.Http;

/// <summary><c>GET /v1/status</c>: the speed layer per partition and the current batch version.</summary>
internal static class StatusEndpoint
{
    public static async Task<IResult> HandleAsync(IViewStore store, CancellationToken cancellationToken)
    {
        var partitions = await store.ListPartitionStatusAsync(cancellationToken).ConfigureAwait(false);
        var version = await store.GetCurrentBatchVersionAsync(cancellationToken).ConfigureAwait(false);
        var batch = new BatchStatus(version?.VersionId, version is null ? null : ApiTime.FromMs(version.WatermarkMs), version?.CreatedAt.UtcDateTime);
        return TypedResults.Ok(new ServingStatus(new SpeedStatus(partitions.Select(PartitionStatus.From).ToArray()), batch, [], null));
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lambda.Serving.Api;

/// <summary>
/// The answer of <c>GET /v1/status</c>. <see cref="Scope"/> is <c>platform</c> for admin keys: every
/// partition, and the latest run of every job with its errors. An advertiser key gets
/// <c>advertiser</c>: the batch version and watermark and the speed layer's freshness, as its own
/// metrics answers carry them, and nothing about partitions, hosts, processes or jobs.
/// <see cref="Drift"/> is filled by the scheduler later.
/// </summary>
public sealed record ServingStatus(
    string Scope,
    SpeedStatus Speed,
    BatchStatus Batch,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<JsonElement>? Jobs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Drift)
{
    public const string PlatformScope = "platform";

    public const string AdvertiserScope = "advertiser";
}

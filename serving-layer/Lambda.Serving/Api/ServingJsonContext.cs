using System.Text.Json.Serialization;

namespace Lambda.Serving.Api;

/// <summary>Source-generated JSON for every answer: snake_case names, nulls written.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(MetricsAnswer))]
[JsonSerializable(typeof(CampaignList))]
[JsonSerializable(typeof(TopCampaigns))]
[JsonSerializable(typeof(ServingStatus))]
[JsonSerializable(typeof(IngestAnswer))]
[JsonSerializable(typeof(HealthAnswer))]
[JsonSerializable(typeof(OwnerTransfer))]
[JsonSerializable(typeof(CampaignOwnership))]
[JsonSerializable(typeof(IReadOnlyList<IngestExample>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, long>))]
public sealed partial class ServingJsonContext : JsonSerializerContext;

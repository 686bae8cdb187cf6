using System.Text.Json;

namespace Lambda.Serving.Api;

/// <summary>The answer of <c>GET /v1/status</c>. <see cref="Jobs"/> and <see cref="Drift"/> are filled by the scheduler later.</summary>
public sealed record ServingStatus(SpeedStatus Speed, BatchStatus Batch, IReadOnlyList<JsonElement> Jobs, JsonElement? Drift);

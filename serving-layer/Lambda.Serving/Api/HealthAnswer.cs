namespace Lambda.Serving.Api;

/// <summary>The answer of <c>GET /v1/health</c> (no store access, no key).</summary>
public sealed record HealthAnswer(string Status);

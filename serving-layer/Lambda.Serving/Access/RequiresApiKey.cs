namespace Lambda.Serving.Access;

/// <summary>Endpoint metadata: the endpoint needs an API key; with <see cref="AdminOnly"/>, an admin one (else 403).</summary>
public sealed record RequiresApiKey(bool AdminOnly = false);

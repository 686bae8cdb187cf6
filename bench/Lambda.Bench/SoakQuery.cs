namespace Lambda.Bench;

/// <summary>One query of the soak: when it was sent (seconds on the soak's clock), how long it took, and whether it was a 200.</summary>
internal readonly record struct SoakQuery(double AtSeconds, double Ms, bool Ok);

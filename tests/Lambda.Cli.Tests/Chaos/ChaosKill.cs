namespace Lambda.Cli.Tests.Chaos;

/// <summary>One kill -9 of the host: the phase it aimed at, whether its start line was seen, and whether the kill landed before the phase's end line.</summary>
internal sealed record ChaosKill(int Number, ChaosPhase Phase, bool PhaseSeen, bool? LandedInside, int DelayMs, double UptimeSeconds);

namespace Lambda.Cli.Tests.Chaos;

/// <summary>How the speed view departs from the oracle: events short in total, and the counters that account for them.</summary>
internal sealed record SpeedAccount(int Rows, long Deficit, long RowLate, long Late, long Unattributed, long Processed, long UniquesChecked);

namespace Lambda.Cli.Tests.Chaos;

/// <summary>
/// How the speed view departs from the oracle: events short in total, and the partition counters that
/// account for them (late and unattributed; duplicates next to the oracle's, since copies of late records count late).
/// </summary>
internal sealed record SpeedAccount(int Rows, long Deficit, long RowLate, long Late, long Unattributed, long Duplicates,
    long OracleDuplicates, long Processed, long UniquesChecked);

namespace Lambda.Cli.Bench;

/// <summary>What `lambda bench soak` runs.</summary>
/// <param name="Rate">Open-loop events per second into the host.</param>
/// <param name="Warmup">Time before the judged part: the designed fill of the host's state (see docs/reliability.md).</param>
/// <param name="Duration">The judged part, after the warm-up.</param>
/// <param name="Window">Length of the first and last windows the verdict compares.</param>
/// <param name="Sample">Time between CSV rows.</param>
/// <param name="QueriesPerSecond">Open-loop queries per second against the API.</param>
/// <param name="OutPath">The CSV file; the host's log goes beside it (<c>.host.log</c>).</param>
/// <param name="Parent">Directory for the host's data (the log grows by about 300 bytes an event); null for the temp directory.</param>
internal sealed record SoakSettings(long Rate, TimeSpan Warmup, TimeSpan Duration, TimeSpan Window, TimeSpan Sample, double QueriesPerSecond,
    string OutPath, string? Parent);

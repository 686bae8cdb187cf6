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
    string OutPath, string? Parent)
{
    /// <summary>What is wrong with these settings, naming the option, or null if nothing is.</summary>
    public string? Problem() =>
        Rate is < 1 or > 1_000_000 ? FormattableString.Invariant($"--rate must be between 1 and 1000000 (got {Rate})")
        : Sample < TimeSpan.FromSeconds(1) ? FormattableString.Invariant($"--sample must be at least 1 second (got {Sample.TotalSeconds:0})")
        : Window < Sample ? FormattableString.Invariant($"--window must be at least --sample (got {Window.TotalSeconds:0} < {Sample.TotalSeconds:0})")
        : Warmup < TimeSpan.Zero ? FormattableString.Invariant($"--warmup must be zero or more (got {Warmup.TotalSeconds:0})")
        : QueriesPerSecond is < 0.1 or > 1000 ? FormattableString.Invariant($"--query-rate must be between 0.1 and 1000 (got {QueriesPerSecond})")
        : Duration < 2 * Window ? "--minutes must cover two windows after the warm-up: the first and the last"
        : null;
}

namespace Lambda.Cli.Tests.Chaos;

/// <summary>
/// A phase of the all-in-one host that a kill aims at: the log line that says it starts, the line that
/// says it ended (if there is one, so a kill can be told to have landed inside), and the longest random
/// delay between seeing the start and the kill.
/// </summary>
internal sealed record ChaosPhase(string Name, string StartMarker, string? EndMarker, int MaxDelayMs)
{
    public static readonly ChaosPhase Append = new("append", "Lambda.Demo[7000]", null, 15);
    public static readonly ChaosPhase Flush = new("flush", "Lambda.Speed[3010]", null, 15);
    public static readonly ChaosPhase Checkpoint = new("checkpoint", "Lambda.Speed[3011]", null, 5);
    public static readonly ChaosPhase Archive = new("archive", "Job archive started", "Job archive succeeded", 400);
    public static readonly ChaosPhase Recompute = new("recompute", "Lambda.Batch.Recompute[4002]", "Lambda.Batch.Recompute[4003]", 1500);

    public static readonly IReadOnlyList<ChaosPhase> All = [Append, Checkpoint, Flush, Archive, Recompute];
}


namespace Lambda.Batch.Backfill;

/// <summary>
/// The folders of a backfill beside the master root M: <c>M.backfill</c> (the dataset being rebuilt, with its
/// own manifest and the plan), and <c>M.old</c> (what a swap moves aside before deleting it).
/// </summary>
internal static class BackfillPaths
{
    public const string PlanFileName = "_backfill.json";

    public static string Rebuild(string root) => Trim(root) + ".backfill";

    public static string Aside(string root) => Trim(root) + ".old";

    public static string Plan(string directory) => Path.Combine(directory, PlanFileName);

    /// <summary>
    /// Whether a backfill stopped in its swap: then the master is not in a state an archive may write to
    /// (it may be missing, or half its date folders replaced).
    /// </summary>
    public static bool SwapPending(string root) =>
        Directory.Exists(Aside(root))
        || File.Exists(Plan(root))
        || (BackfillPlan.Load(Rebuild(root)) is { Complete: true });

    private static string Trim(string root) => Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
}

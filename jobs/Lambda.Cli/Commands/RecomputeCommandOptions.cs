using System.CommandLine;
using Lambda.Batch.Recompute;
using Lambda.Cli.CommandLine;
using Lambda.SharedModel.Bots;

namespace Lambda.Cli.Commands;

/// <summary>
/// The recompute's options, shared by `lambda batch recompute` and `lambda backfill` (which recomputes
/// after the rebuild): cutoff, versions kept, DuckDB threads and memory, bot rules.
/// </summary>
internal sealed class RecomputeCommandOptions
{
    public Option<int> Cutoff { get; } = new("--cutoff-minutes")
    {
        Description = "How long after a day's end the archived log must reach before the day is complete (default 60).",
        DefaultValueFactory = _ => 60,
    };

    public Option<int> Keep { get; } = new("--keep") { Description = "Versions to keep (default 7).", DefaultValueFactory = _ => 7 };

    public Option<int?> Threads { get; } = new("--threads") { Description = "DuckDB threads (default: all cores)." };

    public Option<string?> MemoryLimit { get; } = new("--memory-limit") { Description = "DuckDB memory cap, e.g. 4GB (default: 80% of RAM)." };

    public Option<string?> BotRules { get; } = new("--bot-rules") { Description = "Bot rules file (default: the built-in rules); use the speed layer's." };

    public IEnumerable<Option> All => [Cutoff, Keep, Threads, MemoryLimit, BotRules];

    /// <summary>The options as given; a bad value is a <see cref="UsageException"/>.</summary>
    public RecomputeOptions Build(PlatformOptions platform, ParseResult parsed)
    {
        try
        {
            var options = new RecomputeOptions
            {
                DataDirectory = platform.DataDirectory(parsed),
                CompletenessCutoff = TimeSpan.FromMinutes(parsed.GetValue(Cutoff)),
                KeepVersions = parsed.GetValue(Keep),
                Threads = parsed.GetValue(Threads),
                MemoryLimit = parsed.GetValue(MemoryLimit),
                BotRules = LoadBotRules(parsed.GetValue(BotRules)),
            };
            options.Validate();
            return options;
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    private static BotRules LoadBotRules(string? path)
    {
        if (path is null)
        {
            return SharedModel.Bots.BotRules.Default;
        }

        if (!File.Exists(path))
        {
            throw new UsageException($"--bot-rules file '{path}' does not exist");
        }

        try
        {
            return SharedModel.Bots.BotRules.Load(path);
        }
        catch (FormatException ex)
        {
            throw new UsageException($"--bot-rules: {ex.Message}");
        }
    }
}

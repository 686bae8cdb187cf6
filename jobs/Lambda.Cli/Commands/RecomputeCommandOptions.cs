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

    public Option<string?> RetainedMemory { get; } = new("--retained-memory")
    {
        Description = "Freed memory DuckDB keeps between days instead of returning it to the OS, e.g. 2GB, or none (default 2GB).",
    };

    public Option<string?> BotRules { get; } = new("--bot-rules") { Description = "Bot rules file (default: the built-in rules); use the speed layer's." };

    public IEnumerable<Option> All => [Cutoff, Keep, Threads, MemoryLimit, RetainedMemory, BotRules];

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
                RetainedMemory = ParseRetainedMemory(parsed.GetValue(RetainedMemory)),
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

    /// <summary>A DuckDB size (digits, optional unit such as MB/GB/GiB) or "none" (null: DuckDB's defaults); absent = the default.</summary>
    private static string? ParseRetainedMemory(string? value)
    {
        if (value is null)
        {
            return new RecomputeOptions { DataDirectory = "." }.RetainedMemory;
        }

        var text = value.Trim();
        if (string.Equals(text, "none", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var digits = text.TakeWhile(char.IsAsciiDigit).Count();
        var unit = text[digits..].Trim();
        if (digits == 0 || !(unit.Length == 0 || Units.Contains(unit)))
        {
            throw new UsageException($"--retained-memory must be a size such as 2GB or 512MB, or none (got '{value}')");
        }

        return text;
    }

    private static readonly HashSet<string> Units = new(["B", "KB", "MB", "GB", "TB", "KiB", "MiB", "GiB", "TiB"], StringComparer.OrdinalIgnoreCase);

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

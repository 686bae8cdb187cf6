using System.CommandLine;
using Lambda.SharedModel.Bots;
using Lambda.Speed;

namespace Lambda.Cli.CommandLine;

/// <summary>The speed layer's knobs on the command line; defaults come from <see cref="SpeedOptions"/>.</summary>
internal sealed class SpeedCommandOptions
{
    private static readonly SpeedOptions Defaults = new();

    public Option<TimeSpan> Lateness { get; } = new("--allowed-lateness") { Description = "How late an event may be and still count (default 00:01:00).", DefaultValueFactory = _ => Defaults.AllowedLateness };
    public Option<TimeSpan> MaxFutureSkew { get; } = new("--max-future-skew") { Description = "How far an event time may lie ahead of its log time before it is dead-lettered (default 00:05:00; give archive the same).", DefaultValueFactory = _ => Defaults.MaxFutureSkew };
    public Option<TimeSpan> JoinHorizon { get; } = new("--join-horizon") { Description = "How long a view waits for its ad (default 00:10:00).", DefaultValueFactory = _ => Defaults.JoinHorizon };
    public Option<TimeSpan> IdleTimeout { get; } = new("--idle-timeout") { Description = "Log time after which a quiet topic stops holding the watermark (default 00:00:30).", DefaultValueFactory = _ => Defaults.IdleTimeout };
    public Option<TimeSpan> Flush { get; } = new("--flush-interval") { Description = "How often changed rows are written (default 00:00:00.5).", DefaultValueFactory = _ => Defaults.FlushInterval };
    public Option<TimeSpan> Checkpoint { get; } = new("--checkpoint-interval") { Description = "How often state is checkpointed (default 00:00:05).", DefaultValueFactory = _ => Defaults.CheckpointInterval };
    public Option<int> Workers { get; } = new("--workers") { Description = "Worker loops sharing the partitions (default: the core count).", DefaultValueFactory = _ => Defaults.Workers };
    public Option<string> ConsumerGroup { get; } = new("--consumer-group") { Description = "With --log kafka: the consumer group whose members share the partitions (default lambda-speed).", DefaultValueFactory = _ => Defaults.ConsumerGroup };
    public Option<string?> BotRules { get; } = new("--bot-rules") { Description = "Bot rules file (default: the built-in rules)." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Lateness, MaxFutureSkew, JoinHorizon, IdleTimeout, Flush, Checkpoint, Workers, ConsumerGroup, BotRules })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Reads and validates the options; a bad value is a usage error naming its option.</summary>
    public SpeedOptions Read(ParseResult parsed, string dataDirectory)
    {
        var options = new SpeedOptions
        {
            AllowedLateness = parsed.GetValue(Lateness),
            MaxFutureSkew = parsed.GetValue(MaxFutureSkew),
            JoinHorizon = parsed.GetValue(JoinHorizon),
            IdleTimeout = parsed.GetValue(IdleTimeout),
            FlushInterval = parsed.GetValue(Flush),
            CheckpointInterval = parsed.GetValue(Checkpoint),
            Workers = parsed.GetValue(Workers),
            ConsumerGroup = parsed.GetValue(ConsumerGroup)!,
            CheckpointDirectory = Path.Combine(dataDirectory, "speed", "checkpoints"),
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }

        return options;
    }

    public BotRules LoadBotRules(ParseResult parsed)
    {
        var path = parsed.GetValue(BotRules);
        if (path is null)
        {
            return Lambda.SharedModel.Bots.BotRules.Default;
        }

        if (!File.Exists(path))
        {
            throw new UsageException($"--bot-rules file '{path}' does not exist");
        }

        try
        {
            return Lambda.SharedModel.Bots.BotRules.Load(path);
        }
        catch (FormatException ex)
        {
            throw new UsageException($"--bot-rules: {ex.Message}");
        }
    }
}

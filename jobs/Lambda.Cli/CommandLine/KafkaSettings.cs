using System.CommandLine;
using System.Globalization;
using Lambda.Cli.Hosting;
using Lambda.Log.Kafka;

namespace Lambda.Cli.CommandLine;

/// <summary>
/// The Kafka log's topic settings and timeout, from settings <c>kafka_replication</c>,
/// <c>kafka_min_insync</c>, <c>kafka_retention</c>, <c>kafka_retention_bytes</c>,
/// <c>kafka_check_configs</c> and <c>kafka_timeout</c> (a settings file for `lambda run` and
/// `lambda scheduler`, then <c>LAMBDA_KAFKA_*</c> variables, then the flags of <see cref="KafkaFlags"/>).
/// </summary>
internal sealed record KafkaSettings(short Replication, short MinInSync, TimeSpan? Retention, long? RetentionBytes, bool CheckConfigs, TimeSpan Timeout)
{
    private const string Unlimited = "unlimited";

    public static readonly string[] Keys =
        ["kafka_replication", "kafka_min_insync", "kafka_retention", "kafka_retention_bytes", "kafka_check_configs", "kafka_timeout"];

    /// <summary>Reads and checks the settings; a bad value is a <see cref="UsageException"/> naming its key and source.</summary>
    public static KafkaSettings Read(RunSettings settings)
    {
        var replication = (short)settings.GetInt("kafka_replication", 3, 1, short.MaxValue);
        var minInSync = (short)settings.GetInt("kafka_min_insync", Math.Min(2, (int)replication), 1, short.MaxValue);
        if (minInSync > replication)
        {
            throw settings.Bad("kafka_min_insync", $"{minInSync} is more than the replication factor {replication}");
        }

        return new KafkaSettings(replication, minInSync,
            settings.Get<TimeSpan?>("kafka_retention", null, s => IsUnlimited(s) ? null : DurationText.Parse(s), $"{Unlimited} or {DurationText.Rule}"),
            settings.Get<long?>("kafka_retention_bytes", null, s => IsUnlimited(s) ? null : PositiveLong(s), $"{Unlimited} or a positive number of bytes"),
            settings.GetBool("kafka_check_configs", true),
            settings.Get("kafka_timeout", TimeSpan.FromSeconds(30), DurationText.Parse, DurationText.Rule));
    }

    /// <summary>Sets the topic settings and timeouts of <paramref name="options"/>.</summary>
    public void Apply(KafkaLogOptions options)
    {
        options.ReplicationFactor = Replication;
        options.MinInSyncReplicas = MinInSync;
        options.Retention = Retention;
        options.RetentionBytes = RetentionBytes;
        options.CheckTopicConfigs = CheckConfigs;
        // One bound for a command against an unreachable cluster: metadata and admin requests, and deliveries.
        options.RequestTimeout = Timeout;
        options.DeliveryTimeout = Timeout;
    }

    private static bool IsUnlimited(string s) => string.Equals(s.Trim(), Unlimited, StringComparison.OrdinalIgnoreCase);

    private static long PositiveLong(string s) =>
        long.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture) is var n and > 0 ? n : throw new FormatException();
}

/// <summary>The flags of <see cref="KafkaSettings"/>, shared by every command (their help names the setting and variable).</summary>
internal sealed class KafkaFlags
{
    public Option<int?> Replication { get; } = IntegerFlag("--kafka-replication", "kafka_replication",
        "Replicas of each Kafka topic the platform creates (default 3; at most the brokers)");

    public Option<int?> MinInSync { get; } = IntegerFlag("--kafka-min-insync", "kafka_min_insync",
        "min.insync.replicas of created Kafka topics: replicas that must have a record before it is acknowledged (default 2)");

    public Option<string?> Retention { get; } = Flag("--kafka-retention", "kafka_retention",
        "retention of created Kafka topics, e.g. 30d, or unlimited (the default: the log is the master record)");

    public Option<string?> RetentionBytes { get; } = Flag("--kafka-retention-bytes", "kafka_retention_bytes",
        "retention.bytes per partition of created Kafka topics, or unlimited (the default)");

    public Option<string?> CheckConfigs { get; } = Flag("--kafka-check-configs", "kafka_check_configs",
        "Read existing Kafka topics' settings to check them (default true; false for clusters that do not serve DescribeConfigs)");

    public Option<string?> Timeout { get; } = Flag("--kafka-timeout", "kafka_timeout",
        "How long a Kafka request or delivery may wait for the cluster before the command fails, e.g. 30s (the default)");

    public IEnumerable<Option> All => [Replication, MinInSync, Retention, RetentionBytes, CheckConfigs, Timeout];

    /// <summary>Takes the flags given on the command line into <paramref name="settings"/>.</summary>
    public void SetFlags(ParseResult parsed, RunSettings settings)
    {
        settings.SetFlag(parsed, "kafka_replication", Replication);
        settings.SetFlag(parsed, "kafka_min_insync", MinInSync);
        settings.SetFlag(parsed, "kafka_retention", Retention);
        settings.SetFlag(parsed, "kafka_retention_bytes", RetentionBytes);
        settings.SetFlag(parsed, "kafka_check_configs", CheckConfigs);
        settings.SetFlag(parsed, "kafka_timeout", Timeout);
    }

    // Strings: unlimited, a duration or yes/no are more than a number, and the settings layer parses them.
    private static Option<string?> Flag(string name, string key, string description) => new(name)
    {
        Description = Described(key, description),
        Recursive = true,
    };

    private static Option<int?> IntegerFlag(string name, string key, string description)
    {
        var option = SettingFlags.Integer(name, key, Described(key, description));
        option.Recursive = true;
        return option;
    }

    private static string Described(string key, string description) => $"{description} (setting {key}, env LAMBDA_{key.ToUpperInvariant()}).";
}

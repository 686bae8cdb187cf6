using Lambda.Log.Kafka;

namespace Lambda.Cli.CommandLine;

/// <summary>
/// Extra librdkafka settings for every Kafka client of a process (security.protocol, sasl.*,
/// session.timeout.ms, ...), given as comma-separated <c>key=value</c> pairs.
/// </summary>
internal static class KafkaClientSettings
{
    /// <summary>Parses <c>key=value[,key=value]</c>; a malformed pair is a <see cref="FormatException"/> naming it.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string? text)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text))
        {
            return settings;
        }

        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"'{pair}' is not key=value");
            }

            var key = pair[..equals].Trim();
            if (KafkaLogOptions.ReservedConfigKeys.Contains(key))
            {
                throw new FormatException($"'{key}' is set by the log itself and cannot be overridden");
            }

            settings[key] = pair[(equals + 1)..].Trim();
        }

        return settings;
    }

    /// <summary>Kafka log options for <paramref name="bootstrap"/> with the extra settings applied.</summary>
    public static KafkaLogOptions Options(string bootstrap, int partitions, IReadOnlyDictionary<string, string> extra)
    {
        var options = new KafkaLogOptions { BootstrapServers = bootstrap, DefaultPartitions = partitions };
        foreach (var (key, value) in extra)
        {
            options.ExtraConfig[key] = value;
        }

        return options;
    }
}

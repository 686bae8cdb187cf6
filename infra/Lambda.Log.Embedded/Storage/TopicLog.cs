using System.Text;
using Lambda.SharedModel.IO;
using Lambda.SharedModel.Log;

namespace Lambda.Log.Embedded.Storage;

/// <summary>A topic on disk: <c>topics/&lt;name&gt;/topic.meta</c> (its partition count) and one directory per partition.</summary>
internal sealed class TopicLog(string name, PartitionLog[] partitions)
{
    public const string MetaFile = "topic.meta";

    public string Name { get; } = name;

    public PartitionLog[] Partitions { get; } = partitions;

    public PartitionLog Partition(int partition)
    {
        if ((uint)partition >= (uint)Partitions.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(partition), partition,
                $"topic '{Name}' has {Partitions.Length} partitions");
        }

        return Partitions[partition];
    }

    /// <summary>Creates the partition directories first and the metadata last: the metadata file is what makes the topic exist.</summary>
    public static TopicLog Create(string directory, string name, int partitions, EmbeddedLogOptions options)
    {
        Directory.CreateDirectory(directory);
        var logs = new PartitionLog[partitions];
        for (var p = 0; p < partitions; p++)
        {
            logs[p] = PartitionLog.Open(new TopicPartition(name, p), Path.Combine(directory, p.ToString(System.Globalization.CultureInfo.InvariantCulture)), options, verifyTail: false);
        }

        for (var p = 0; p < partitions; p++)
        {
            DurableFiles.FsyncDirectory(Path.Combine(directory, p.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        DurableFiles.Replace(Path.Combine(directory, MetaFile), Encoding.ASCII.GetBytes($"partitions={partitions}\n"));
        DurableFiles.FsyncDirectory(Path.GetDirectoryName(directory)!);
        return new TopicLog(name, logs);
    }

    /// <summary>Opens an existing topic, or returns null if its metadata is missing (creation never finished).</summary>
    public static TopicLog? TryOpen(string directory, string name, EmbeddedLogOptions options, bool verifyTail)
    {
        var metaPath = Path.Combine(directory, MetaFile);
        if (!File.Exists(metaPath))
        {
            return null;
        }

        var text = File.ReadAllText(metaPath).Trim();
        if (!text.StartsWith("partitions=", StringComparison.Ordinal)
            || !int.TryParse(text.AsSpan("partitions=".Length), System.Globalization.CultureInfo.InvariantCulture, out var partitions)
            || partitions < 1)
        {
            throw new InvalidDataException($"topic metadata '{metaPath}' is not valid: '{text}'");
        }

        var logs = new PartitionLog[partitions];
        for (var p = 0; p < partitions; p++)
        {
            logs[p] = PartitionLog.Open(new TopicPartition(name, p), Path.Combine(directory, p.ToString(System.Globalization.CultureInfo.InvariantCulture)), options, verifyTail);
        }

        return new TopicLog(name, logs);
    }

    /// <summary>Kafka's rule for topic names, which also keeps them safe as directory names.</summary>
    public static void ValidateName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > 249 || name is "." or ".."
            || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw new ArgumentException($"topic name '{name}' is not valid: 1-249 characters of [a-zA-Z0-9._-]", nameof(name));
        }
    }
}

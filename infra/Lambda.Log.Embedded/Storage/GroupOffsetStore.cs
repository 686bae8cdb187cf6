using System.Globalization;
using System.Text;
using Lambda.SharedModel.IO;
using Lambda.SharedModel.Log;

namespace Lambda.Log.Embedded.Storage;

/// <summary>
/// Committed offsets of consumer groups: one file per group, <c>groups/&lt;group&gt;.offsets</c>, holding
/// every partition's offset as text lines "topic partition offset". A commit rewrites the whole file
/// atomically, so a set of offsets is committed all or nothing.
/// </summary>
internal sealed class GroupOffsetStore(string directory, bool readOnly)
{
    private const string Header = "lambda-group-offsets v1";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, Dictionary<TopicPartition, long>> _groups = new(StringComparer.Ordinal);

    public async ValueTask CommitAsync(string group, IReadOnlyList<TopicPartitionOffset> offsets, CancellationToken cancellationToken)
    {
        if (readOnly)
        {
            throw new NotSupportedException("the log was opened read-only: commits belong to the owning process");
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = Load(group);
            var updated = new Dictionary<TopicPartition, long>(current);
            foreach (var o in offsets)
            {
                updated[o.TopicPartition] = o.Offset;
            }

            var text = new StringBuilder(Header).Append('\n');
            foreach (var (tp, offset) in updated.OrderBy(e => e.Key.Topic, StringComparer.Ordinal).ThenBy(e => e.Key.Partition))
            {
                text.Append(CultureInfo.InvariantCulture, $"{tp.Topic} {tp.Partition} {offset}\n");
            }

            Directory.CreateDirectory(directory);
            DurableFiles.Replace(PathOf(group), Encoding.UTF8.GetBytes(text.ToString()));
            _groups[group] = updated;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask<long?> GetCommittedAsync(string group, TopicPartition topicPartition, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return Load(group).TryGetValue(topicPartition, out var offset) ? offset : null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Every partition's committed offset of <paramref name="group"/> (for retention's guard, off the async path).</summary>
    public IReadOnlyDictionary<TopicPartition, long> Snapshot(string group)
    {
        _gate.Wait();
        try
        {
            return new Dictionary<TopicPartition, long>(Load(group));
        }
        finally
        {
            _gate.Release();
        }
    }

    private Dictionary<TopicPartition, long> Load(string group)
    {
        // A read-only log always rereads: the owning process may have committed since.
        if (!readOnly && _groups.TryGetValue(group, out var cached))
        {
            return cached;
        }

        var offsets = new Dictionary<TopicPartition, long>();
        var path = PathOf(group);
        if (File.Exists(path))
        {
            var lines = File.ReadAllLines(path);
            if (lines.Length == 0 || lines[0] != Header)
            {
                throw new InvalidDataException($"group offsets file '{path}' has no '{Header}' header");
            }

            foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
            {
                var parts = line.Split(' ');
                if (parts.Length != 3
                    || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var partition)
                    || !long.TryParse(parts[2], CultureInfo.InvariantCulture, out var offset))
                {
                    throw new InvalidDataException($"group offsets file '{path}' has a bad line: '{line}'");
                }

                offsets[new TopicPartition(parts[0], partition)] = offset;
            }
        }

        if (!readOnly)
        {
            _groups[group] = offsets;
        }

        return offsets;
    }

    /// <summary>Group names are free text: safe ones name the file as they are, others by their SHA-256.</summary>
    private string PathOf(string group)
    {
        var safe = group.Length is > 0 and <= 200 && group.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
            && group[0] != '.';
        var name = safe ? group : "x-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(group)));
        return Path.Combine(directory, name + ".offsets");
    }
}

using Lambda.SharedModel.IO;
using Microsoft.Extensions.Logging;

namespace Lambda.Speed.Checkpoints;

/// <summary>
/// Checkpoint files of one partition, in the partition's directory: a chain of
/// <c>base-&lt;sequence&gt;.ckpt</c> (a full state) and <c>delta-&lt;sequence&gt;.ckpt</c> (the changes
/// since the checkpoint of the previous sequence). Every file is written to a temporary name,
/// fsynced, renamed into place and the directory fsynced, so a crash leaves whole files only.
/// The state at sequence n is the newest base at or below n plus the deltas up to n, so a
/// compaction can write a base for an existing sequence k without touching the deltas after k.
/// Two bases are kept, with every delta after the older one: if the newest base is corrupt, the
/// older one and its deltas give the same state; a corrupt delta ends the chain there, and the
/// replay from that state's offsets covers the rest.
/// The worker thread saves deltas; a background compaction may save bases meanwhile, so the
/// bookkeeping is under a lock.
/// </summary>
internal sealed partial class CheckpointStore
{
    private const string BasePrefix = "base-";
    private const string DeltaPrefix = "delta-";
    private const string Extension = ".ckpt";

    private readonly string _directory;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly SortedDictionary<long, long> _deltaBytes = [];
    private long _sequence;
    private long _baseSequence = -1;
    private long _baseBytes;

    public CheckpointStore(string root, int partition, ILogger logger)
    {
        _directory = Path.Combine(root, $"partition-{partition}");
        _logger = logger;
        Directory.CreateDirectory(_directory);
        foreach (var temp in Directory.EnumerateFiles(_directory, "*.tmp"))
        {
            File.Delete(temp); // left by a crash mid-write
        }

        foreach (var file in ListFiles())
        {
            _sequence = Math.Max(_sequence, file.Sequence);
        }
    }

    /// <summary>Sequence of the newest checkpoint written or restored (0 for none).</summary>
    public long Sequence => _sequence;

    /// <summary>True if there is a base for deltas to follow (after a save of a base or a restore from one).</summary>
    public bool HasBase
    {
        get
        {
            lock (_lock)
            {
                return _baseSequence >= 0;
            }
        }
    }

    /// <summary>True once the deltas after the newest base add up to more than half of it, or number <paramref name="maxDeltas"/>.</summary>
    public bool ChainIsLong(int maxDeltas)
    {
        lock (_lock)
        {
            var count = 0;
            long bytes = 0;
            foreach (var (sequence, size) in _deltaBytes)
            {
                if (sequence > _baseSequence)
                {
                    count++;
                    bytes += size;
                }
            }

            return _baseSequence >= 0 && (count >= maxDeltas || bytes > _baseBytes / 2);
        }
    }

    /// <summary>Writes a base at the next sequence number; returns its size in bytes.</summary>
    public long SaveBase(ushort formatVersion, Action<BinaryWriter> writeBody)
    {
        var sequence = _sequence + 1;
        var size = Write(new CheckpointFrame(formatVersion, CheckpointKind.Base, sequence, -1), writeBody);
        _sequence = sequence;
        OnBaseWritten(sequence, size);
        return size;
    }

    /// <summary>Writes a delta at the next sequence number, after the last checkpoint; returns its size in bytes.</summary>
    public long SaveDelta(ushort formatVersion, Action<BinaryWriter> writeBody)
    {
        if (!HasBase)
        {
            throw new InvalidOperationException("a delta needs a base: save a base first");
        }

        var sequence = _sequence + 1;
        var size = Write(new CheckpointFrame(formatVersion, CheckpointKind.Delta, sequence, _sequence), writeBody);
        _sequence = sequence;
        lock (_lock)
        {
            _deltaBytes[sequence] = size;
        }

        return size;
    }

    /// <summary>
    /// Writes a base holding the state at an existing <paramref name="sequence"/> (a compaction of
    /// the chain up to it), then deletes what it makes unnecessary. Safe to call off the worker thread.
    /// </summary>
    public long SaveCompactedBase(long sequence, ushort formatVersion, Action<BinaryWriter> writeBody)
    {
        var size = Write(new CheckpointFrame(formatVersion, CheckpointKind.Base, sequence, -1), writeBody);
        OnBaseWritten(sequence, size);
        return size;
    }

    private long Write(CheckpointFrame frame, Action<BinaryWriter> writeBody)
    {
        long size = 0;
        DurableFiles.Replace(PathOf(frame.Kind, frame.Sequence), file => size = frame.WriteTo(file, writeBody));
        return size;
    }

    /// <summary>Keeps the two newest bases and the deltas after the older one; deletes the rest.</summary>
    private void OnBaseWritten(long sequence, long size)
    {
        lock (_lock)
        {
            if (sequence > _baseSequence)
            {
                _baseSequence = sequence;
                _baseBytes = size;
            }

            var bases = ListFiles().Where(f => f.Kind == CheckpointKind.Base).Select(f => f.Sequence).OrderDescending().ToList();
            var oldestKept = bases.Count >= 2 ? bases[1] : bases[0];
            foreach (var (kind, fileSequence, path) in ListFiles())
            {
                if (fileSequence < oldestKept || (kind == CheckpointKind.Delta && fileSequence <= oldestKept))
                {
                    File.Delete(path);
                    _deltaBytes.Remove(fileSequence);
                }
            }

            DurableFiles.FsyncDirectory(_directory);
        }
    }

    private string PathOf(CheckpointKind kind, long sequence) =>
        Path.Combine(_directory, $"{(kind == CheckpointKind.Base ? BasePrefix : DeltaPrefix)}{sequence:D12}{Extension}");

    private IEnumerable<(CheckpointKind Kind, long Sequence, string Path)> ListFiles()
    {
        foreach (var path in Directory.EnumerateFiles(_directory, "*" + Extension))
        {
            var name = Path.GetFileNameWithoutExtension(path.AsSpan());
            var kind = name.StartsWith(BasePrefix) ? CheckpointKind.Base : name.StartsWith(DeltaPrefix) ? CheckpointKind.Delta : default;
            var prefix = kind == CheckpointKind.Base ? BasePrefix.Length : DeltaPrefix.Length;
            if (kind != default && long.TryParse(name[prefix..], out var sequence))
            {
                yield return (kind, sequence, path);
            }
        }
    }
}

using Lambda.SharedModel.IO;
using Lambda.SharedModel.Views;
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
/// <para>
/// Files carry the owner epoch they were written under in their name
/// (<c>delta-&lt;sequence&gt;-e&lt;epoch&gt;.ckpt</c>; epoch 0, unfenced, keeps the plain name), so two
/// owners of one partition never write the same file, and a restore follows only the lineage whose
/// rows are in the view store (see <see cref="SplitLineage"/>).
/// </para>
/// </summary>
internal sealed partial class CheckpointStore
{
    private const string BasePrefix = "base-";
    private const string DeltaPrefix = "delta-";
    private const string Extension = ".ckpt";
    private const string EpochMark = "-e";

    private readonly string _directory;
    private readonly int _partition;
    private readonly long _epoch;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly SortedDictionary<long, long> _deltaBytes = [];
    private long _sequence;
    private long _baseSequence = -1;
    private long _baseBytes;

    /// <param name="epoch">The owner epoch files are written under (0: unfenced, for a single owner).</param>
    public CheckpointStore(string root, int partition, ILogger logger, long epoch = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        _directory = Path.Combine(root, $"partition-{partition}");
        _partition = partition;
        _epoch = epoch;
        _logger = logger;
        Directory.CreateDirectory(_directory);
        foreach (var temp in Directory.EnumerateFiles(_directory, "*.tmp"))
        {
            // Left by a crash mid-write, or being written by an older owner that has not noticed the
            // claim yet: its rename then fails, which tells it that it lost the partition (see Write).
            File.Delete(temp);
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
        var path = PathOf(frame.Kind, frame.Sequence);
        try
        {
            DurableFiles.Replace(path, file => size = frame.WriteTo(file, writeBody));
        }
        catch (FileNotFoundException) when (_epoch > 0 && !File.Exists(path + ".tmp"))
        {
            // Only a newer owner's start removes temporary files while this one writes.
            var newest = ListFiles().Select(f => f.Epoch).DefaultIfEmpty(0).Max();
            throw new PartitionFencedException(_partition, _epoch, Math.Max(newest, _epoch + 1));
        }

        return size;
    }

    /// <summary>
    /// Keeps the two newest bases of the lineage and the deltas after the older one; deletes the rest.
    /// An owner that finds a newer owner's files deletes nothing (it has lost the partition).
    /// </summary>
    private void OnBaseWritten(long sequence, long size)
    {
        lock (_lock)
        {
            if (sequence > _baseSequence)
            {
                _baseSequence = sequence;
                _baseBytes = size;
            }

            List<CheckpointFile> lineage;
            try
            {
                lineage = LineageOrFenced(deleteStale: true);
            }
            catch (PartitionFencedException)
            {
                return;
            }

            var bases = lineage.Where(f => f.Kind == CheckpointKind.Base).Select(f => f.Sequence).OrderDescending().ToList();
            if (bases.Count == 0)
            {
                return;
            }

            var oldestKept = bases.Count >= 2 ? bases[1] : bases[0];
            foreach (var (kind, fileSequence, _, path) in lineage)
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

    private string PathOf(CheckpointKind kind, long sequence) => Path.Combine(_directory,
        $"{(kind == CheckpointKind.Base ? BasePrefix : DeltaPrefix)}{sequence:D12}{(_epoch > 0 ? $"{EpochMark}{_epoch}" : "")}{Extension}");

    private IEnumerable<CheckpointFile> ListFiles()
    {
        foreach (var path in Directory.EnumerateFiles(_directory, "*" + Extension))
        {
            var name = Path.GetFileNameWithoutExtension(path.AsSpan());
            var kind = name.StartsWith(BasePrefix) ? CheckpointKind.Base : name.StartsWith(DeltaPrefix) ? CheckpointKind.Delta : default;
            name = name[(kind == CheckpointKind.Base ? BasePrefix.Length : DeltaPrefix.Length)..];
            long epoch = 0;
            if (name.IndexOf(EpochMark) is var mark and >= 0)
            {
                if (!long.TryParse(name[(mark + EpochMark.Length)..], out epoch))
                {
                    continue;
                }

                name = name[..mark];
            }

            if (kind != default && long.TryParse(name, out var sequence))
            {
                yield return new CheckpointFile(kind, sequence, epoch, path);
            }
        }
    }
}

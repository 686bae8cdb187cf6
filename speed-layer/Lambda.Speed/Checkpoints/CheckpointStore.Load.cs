using System.Runtime.InteropServices;
using Lambda.SharedModel.IO;
using Lambda.SharedModel.Views;
using Microsoft.Extensions.Logging;

namespace Lambda.Speed.Checkpoints;

internal sealed partial class CheckpointStore
{
    /// <summary>
    /// Restores the newest state the files of the lineage give (files of stale owners are ignored,
    /// and deleted when repairing): the newest intact base, then its deltas in
    /// sequence order up to the first missing, corrupt or unparsable one. With
    /// <paramref name="repair"/> (at startup), corrupt files are renamed aside (<c>.corrupt</c>),
    /// files past the restored sequence are deleted (nothing can reach them any more) and the
    /// next checkpoint continues the chain from the restored sequence; without it (a background
    /// compaction) nothing on disk changes. Returns default if no base is intact.
    /// </summary>
    /// <exception cref="PartitionFencedException">A newer owner has written checkpoints of the partition.</exception>
    /// <param name="readBase">Parses a base body of the given format version.</param>
    /// <param name="applyDelta">Applies a delta body to the state; must leave the state unchanged if it throws.</param>
    /// <param name="upTo">The highest sequence to restore.</param>
    public (T State, long Sequence)? Load<T>(Func<ushort, BinaryReader, T> readBase, Action<T, ushort, BinaryReader> applyDelta,
        long upTo = long.MaxValue, bool repair = true) where T : class
    {
        var files = LineageOrFenced(deleteStale: repair).Where(f => f.Sequence <= upTo).ToList();
        var deltas = files.Where(f => f.Kind == CheckpointKind.Delta).ToDictionary(f => f.Sequence, f => f.Path);
        foreach (var (_, baseSequence, _, basePath) in files.Where(f => f.Kind == CheckpointKind.Base).OrderByDescending(f => f.Sequence))
        {
            var state = TryRead(basePath, CheckpointKind.Base, baseSequence, (version, reader) => readBase(version, reader), repair);
            if (state is null)
            {
                continue;
            }

            var sequence = baseSequence;
            while (deltas.TryGetValue(sequence + 1, out var deltaPath)
                && TryRead(deltaPath, CheckpointKind.Delta, sequence + 1, (version, reader) => { applyDelta(state, version, reader); return state; }, repair) is not null)
            {
                sequence++;
            }

            if (repair)
            {
                Resume(files, baseSequence, sequence);
            }

            return (state, sequence);
        }

        if (repair)
        {
            Resume(files, -1, 0);
        }

        return null;
    }

    /// <summary>Reads one file; on damage logs it, renames it aside if repairing, and returns null.</summary>
    private T? TryRead<T>(string path, CheckpointKind kind, long sequence, Func<ushort, BinaryReader, T> read, bool repair) where T : class
    {
        try
        {
            var (frame, body) = CheckpointFrame.Read(File.ReadAllBytes(path));
            if (frame.Kind != kind || frame.Sequence != sequence || (kind == CheckpointKind.Delta && frame.Parent != sequence - 1))
            {
                throw new InvalidDataException($"checkpoint frame says {frame.Kind} {frame.Sequence} after {frame.Parent}");
            }

            // The body is read in place: a base is tens of MB at high rates, and a copy is garbage on the large object heap.
            if (!MemoryMarshal.TryGetArray(body, out var segment))
            {
                segment = new ArraySegment<byte>(body.ToArray());
            }

            using var reader = new BinaryReader(new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false));
            var state = read(frame.Version, reader);
            if (reader.BaseStream.Position != reader.BaseStream.Length)
            {
                throw new InvalidDataException("checkpoint body has trailing bytes");
            }

            return state;
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or FormatException or ArgumentException)
        {
            LogCorrupt(_logger, path, ex.Message);
            if (repair)
            {
                File.Move(path, path + ".corrupt", overwrite: true);
            }

            return null;
        }
    }

    /// <summary>Continues the chain from the restored state: what lies beyond it can never be applied.</summary>
    private void Resume(List<CheckpointFile> lineage, long baseSequence, long sequence)
    {
        lock (_lock)
        {
            _deltaBytes.Clear();
            foreach (var (kind, fileSequence, _, path) in lineage)
            {
                if (fileSequence > sequence || (baseSequence < 0 && kind == CheckpointKind.Delta))
                {
                    LogUnreachable(_logger, path);
                    File.Delete(path);
                }
                else if (kind == CheckpointKind.Delta)
                {
                    _deltaBytes[fileSequence] = new FileInfo(path).Length;
                }
                else if (fileSequence == baseSequence)
                {
                    _baseBytes = new FileInfo(path).Length;
                }
            }

            DurableFiles.FsyncDirectory(_directory);
            _baseSequence = baseSequence;
            _sequence = sequence;
        }
    }

    [LoggerMessage(EventId = SpeedLogEvents.CheckpointCorrupt, Level = LogLevel.Warning, Message = "Checkpoint {Path} is corrupt ({Reason}); the state is restored from the checkpoints before it")]
    private static partial void LogCorrupt(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = SpeedLogEvents.CheckpointAfterDamagedLink, Level = LogLevel.Warning, Message = "Checkpoint {Path} follows a damaged link of its chain; deleted")]
    private static partial void LogUnreachable(ILogger logger, string path);
}

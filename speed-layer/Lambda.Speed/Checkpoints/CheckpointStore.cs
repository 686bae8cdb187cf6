using System.Buffers.Binary;
using System.IO.Hashing;
using Lambda.SharedModel.IO;
using Microsoft.Extensions.Logging;

namespace Lambda.Speed.Checkpoints;

/// <summary>
/// Checkpoint files of one partition: <c>ckpt-&lt;sequence&gt;.bin</c> in the partition's directory.
/// A file is written to a temporary name, fsynced, renamed into place and the directory fsynced,
/// so a crash leaves either the old or the new checkpoint, never half of one. The two newest are
/// kept: if the newest is corrupt (checksum or parse error), the previous one is used, and the
/// replay from its offsets covers the difference.
/// Framing: magic "LSPK", format version (u16), body length (i64), body, XxHash64 of the body.
/// </summary>
internal sealed partial class CheckpointStore
{
    private static readonly byte[] Magic = "LSPK"u8.ToArray();
    private const int HeaderLength = 4 + 2 + 8;
    private const int Keep = 2;

    private readonly string _directory;
    private readonly ILogger _logger;
    private long _sequence;

    public CheckpointStore(string root, int partition, ILogger logger)
    {
        _directory = Path.Combine(root, $"partition-{partition}");
        _logger = logger;
        Directory.CreateDirectory(_directory);
        _sequence = ListFiles().Select(f => f.Sequence).DefaultIfEmpty(0).Max();
    }

    /// <summary>Writes a new checkpoint whose body is produced by <paramref name="writeBody"/>.</summary>
    public void Save(ushort formatVersion, Action<BinaryWriter> writeBody)
    {
        using var body = new MemoryStream();
        using (var writer = new BinaryWriter(body, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writeBody(writer);
        }

        var bodySpan = body.GetBuffer().AsSpan(0, (int)body.Length);
        Span<byte> header = stackalloc byte[HeaderLength];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], formatVersion);
        BinaryPrimitives.WriteInt64LittleEndian(header[6..], bodySpan.Length);
        Span<byte> checksum = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(checksum, XxHash64.HashToUInt64(bodySpan));

        var sequence = _sequence + 1;
        var final = Path.Combine(_directory, $"ckpt-{sequence:D12}.bin");
        var temp = final + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            file.Write(header);
            file.Write(bodySpan);
            file.Write(checksum);
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, final, overwrite: true);
        DurableFiles.FsyncDirectory(_directory);
        _sequence = sequence;
        foreach (var old in ListFiles().OrderByDescending(f => f.Sequence).Skip(Keep))
        {
            File.Delete(old.Path);
        }
    }

    /// <summary>
    /// Reads the newest checkpoint that is intact and parses; returns default if there is none.
    /// A corrupt one is renamed aside (<c>.corrupt</c>) and logged, and the previous one is tried.
    /// </summary>
    public T? Load<T>(Func<ushort, BinaryReader, T> readBody) where T : class
    {
        foreach (var (sequence, path) in ListFiles().OrderByDescending(f => f.Sequence))
        {
            try
            {
                var bytes = File.ReadAllBytes(path);
                var (version, body) = Unframe(bytes);
                using var reader = new BinaryReader(new MemoryStream(body.ToArray(), writable: false));
                var state = readBody(version, reader);
                if (reader.BaseStream.Position != reader.BaseStream.Length)
                {
                    throw new InvalidDataException("checkpoint body has trailing bytes");
                }

                return state;
            }
            catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or FormatException or ArgumentException)
            {
                LogCorrupt(_logger, path, ex.Message);
                File.Move(path, path + ".corrupt", overwrite: true);
            }
        }

        return null;
    }

    private static (ushort Version, ReadOnlyMemory<byte> Body) Unframe(byte[] bytes)
    {
        if (bytes.Length < HeaderLength + 8 || !bytes.AsSpan(0, 4).SequenceEqual(Magic))
        {
            throw new InvalidDataException("not a checkpoint file (bad magic or too short)");
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4));
        var length = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(6));
        if (length != bytes.Length - HeaderLength - 8)
        {
            throw new InvalidDataException($"checkpoint length {length} does not match the file ({bytes.Length} bytes)");
        }

        var body = bytes.AsMemory(HeaderLength, (int)length);
        var expected = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(HeaderLength + (int)length));
        if (XxHash64.HashToUInt64(body.Span) != expected)
        {
            throw new InvalidDataException("checkpoint checksum mismatch");
        }

        return (version, body);
    }

    private IEnumerable<(long Sequence, string Path)> ListFiles()
    {
        foreach (var path in Directory.EnumerateFiles(_directory, "ckpt-*.bin"))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (long.TryParse(name.AsSpan(5), out var sequence))
            {
                yield return (sequence, path);
            }
        }
    }

    [LoggerMessage(EventId = 3100, Level = LogLevel.Warning, Message = "Checkpoint {Path} is corrupt ({Reason}); falling back to the previous one")]
    private static partial void LogCorrupt(ILogger logger, string path, string reason);
}

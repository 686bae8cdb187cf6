using Lambda.Batch.Master;
using Lambda.Log.Embedded;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;
using Lambda.Tests.Shared;

namespace Lambda.Batch.Tests.Archive;

/// <summary>
/// Archive runs that meet a fault: the master dataset on a full disk, and corrupt bytes in a log
/// segment. Neither leaves a partial Parquet file visible or moves the manifest past what was written.
/// </summary>
public sealed class ArchiveFaultTests : IDisposable
{
    private readonly MasterTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    private static List<string> VisibleFiles(string root) =>
        [.. MasterTestBed.Files(root).Where(f => !f.StartsWith("_staging", StringComparison.Ordinal))];

    private static string Manifest(string root) =>
        string.Join(",", ArchiveManifest.Load(root).ArchivedTo.OrderBy(e => e.Key.Topic, StringComparer.Ordinal).ThenBy(e => e.Key.Partition)
            .Select(e => $"{e.Key.Topic}/{e.Key.Partition}={e.Value}"));

    [SkippableFact]
    public async Task an_archive_on_a_full_disk_fails_without_a_visible_file_or_a_manifest_change_and_the_rerun_completes()
    {
        using var disk = SmallDisk.Mount(64L * 1024 * 1024);
        var master = Path.Combine(disk.Path, "master");
        var reference = Path.Combine(_bed.DataDirectory, "reference");
        await _bed.GenerateAsync(20_000);
        await _bed.ArchiveAsync(master);
        await _bed.ArchiveAsync(reference);
        await _bed.GenerateAsync(20_000);
        await _bed.ArchiveAsync(reference);
        var files = VisibleFiles(master);
        var manifest = Manifest(master);

        disk.Fill();
        var error = await Record.ExceptionAsync(() => _bed.ArchiveAsync(master));

        Assert.NotNull(error);
        Assert.Contains("space", error.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(files, VisibleFiles(master));
        Assert.Equal(manifest, Manifest(master));

        disk.Free();
        await _bed.ArchiveAsync(master);

        Assert.False(Directory.Exists(MasterDataset.StagingDirectory(master)));
        MasterTestBed.AssertSameDataset(reference, master);
    }

    [Fact]
    public async Task corrupt_bytes_in_a_segment_stop_the_archive_at_the_bad_range_which_is_never_archived()
    {
        await _bed.GenerateAsync(20_000);
        var segment = Directory.GetFiles(Path.Combine(_bed.LogRoot, "topics", Topics.Served, "0"), "*.seg").Order().First();
        long badOffset;
        await using (var log = _bed.OpenLog())
        {
            var end = (await log.GetOffsetsAsync(new TopicPartition(Topics.Served, 0))).End;
            badOffset = end / 2;
        }

        var position = PositionOfBatchHolding(segment, badOffset, out var batchBase);
        FlipByte(segment, position + 40);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => _bed.ArchiveAsync());

        var corruption = Unwrap<LogCorruptionException>(error);
        Assert.NotNull(corruption);
        Assert.Equal(batchBase, corruption.Offset);
        Assert.Equal(segment, corruption.SegmentPath);
        // Nothing at or past the bad batch is in the dataset or behind the manifest.
        if (File.Exists(ArchiveManifest.PathOf(_bed.Master)))
        {
            Assert.True(ArchiveManifest.Load(_bed.Master).ArchivedTo.GetValueOrDefault(new TopicPartition(Topics.Served, 0)) <= batchBase);
        }

        if (VisibleFiles(_bed.Master).Count > 0)
        {
            Assert.Equal(0, MasterTestBed.Count(_bed.Master, Topics.Served, $"log_partition = 0 AND log_offset >= {batchBase}"));
        }
    }

    private static T? Unwrap<T>(Exception? error)
        where T : Exception
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is T found)
            {
                return found;
            }

            if (error is AggregateException aggregate && aggregate.InnerExceptions.Select(Unwrap<T>).FirstOrDefault(e => e is not null) is { } inner)
            {
                return inner;
            }
        }

        return null;
    }

    /// <summary>Walks batch headers (28 B: magic, length, crc, base offset, count, format) to the batch holding <paramref name="offset"/>.</summary>
    internal static long PositionOfBatchHolding(string segment, long offset, out long batchBase)
    {
        var bytes = File.ReadAllBytes(segment);
        long position = 0;
        while (position < bytes.Length)
        {
            var length = BitConverter.ToInt32(bytes, (int)position + 4);
            batchBase = BitConverter.ToInt64(bytes, (int)position + 12);
            var count = BitConverter.ToInt32(bytes, (int)position + 20);
            if (offset < batchBase + count)
            {
                return position;
            }

            position += length;
        }

        throw new InvalidOperationException($"offset {offset} is not in {segment}");
    }

    internal static void FlipByte(string path, long position)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = position;
        var b = file.ReadByte();
        file.Position = position;
        file.WriteByte((byte)(b ^ 0x5A));
    }
}

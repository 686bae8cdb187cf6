using Lambda.Batch.Master;
using Lambda.Batch.Recompute;
using Lambda.Batch.Tests.Archive;
using Lambda.Batch.Tests.Recompute.Fixtures;
using Lambda.DuckDb;
using Lambda.SharedModel.Bots;
using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Sketches;

namespace Lambda.Batch.Tests.Parquet;

/// <summary>
/// Every kind of file the platform writes (master files, a backfilled day's master files, minute, hour and day
/// view files), read by Parquet.Net and by DuckDB (<see cref="TwoReaders"/>): both readers see the same cells,
/// and for the master files those are exactly the decoded records of the log. Row groups are kept small so
/// every file kind has several.
/// </summary>
public sealed class EveryFileKindTests : IDisposable
{
    private const int RowGroupSize = 1_000;

    private readonly MasterTestBed _bed = new();
    private readonly DuckDbDatabase _database = DuckDbDatabase.OpenInMemory(new DuckDbOptions { Threads = 2 });
    private readonly DuckDbConnection _connection;

    public EveryFileKindTests() => _connection = _database.Connect();

    public void Dispose()
    {
        _connection.Dispose();
        _database.Dispose();
        _bed.Dispose();
    }

    [Fact]
    public async Task master_files_hold_every_decoded_record_for_both_readers()
    {
        await _bed.GenerateAsync(24_000);
        await _bed.ArchiveAsync(chunkRecords: 8_000, rowGroupSize: RowGroupSize);

        var expected = await DecodedLogAsync();
        var (files, rowGroups, cells) = AssertMasterFiles(expected, _ => true);

        Assert.True(files >= 8, $"{files} files");
        Assert.True(rowGroups > files, "some file has several row groups");
        Assert.Equal(expected.Count, cells.Count);
        Assert.Contains(cells, row => row[5] is ulong hash && hash > (1UL << 63));
        Assert.Contains(cells, row => row[2] is null && row[7] is not null);
        Assert.Contains(cells, row => row[2] is string);
    }

    [Fact]
    public async Task a_backfilled_days_files_hold_its_decoded_records_for_both_readers()
    {
        await _bed.GenerateAsync(24_000);
        await _bed.ArchiveAsync(chunkRecords: 8_000, rowGroupSize: RowGroupSize);
        var day = MasterTestBed.FirstDay;
        var before = File.GetLastWriteTimeUtc(MasterFiles().First(f => DateOf(f) == day));

        var result = await _bed.BackfillAsync(new EventDateRange(day, day), chunkRecords: 5_000, rowGroupSize: RowGroupSize);

        Assert.Contains(day, result.DatesReplaced);
        var rebuilt = MasterFiles().Where(f => DateOf(f) == day).ToList();
        Assert.All(rebuilt, f => Assert.True(File.GetLastWriteTimeUtc(f) >= before));
        var expected = (await DecodedLogAsync()).Where(r => MasterDataset.EventDate((long)r.Cells[13]!) == day).ToList();
        var (_, _, cells) = AssertMasterFiles(expected, f => DateOf(f) == day);
        Assert.Equal(expected.Count, cells.Count);
    }

    [Fact]
    public async Task view_files_of_every_granularity_read_alike_sketches_included()
    {
        await _bed.GenerateAsync(24_000);
        await _bed.ArchiveAsync(chunkRecords: 8_000);
        await using var batch = await BatchTestBed.CreateAsync();
        MasterTestBed.CopyFiles(_bed.Master, batch.MasterRoot);
        var options = new RecomputeOptions { DataDirectory = batch.DataDirectory, Threads = 2, RowGroupSize = 10 };

        var run = await new BatchRecomputer(batch.Store, options).RunAsync(new RecomputeRequest(Full: true, Dates: null));

        Assert.Equal(RecomputeOutcome.Published, run.Outcome);
        var directory = batch.Paths.VersionDirectory(run.VersionId!.Value);
        foreach (var granularity in BatchViewFiles.Granularities)
        {
            var rows = BatchViewFiles.ReadRows(_connection, directory, granularity, long.MinValue, long.MaxValue);
            var cells = new List<object?[]>();
            var (files, rowGroups) = (0, 0);
            foreach (var file in BatchViewFiles.PathsOf(directory, granularity))
            {
                var (parquetNet, groups) = TwoReaders.ReadWithParquetNet(file);
                (files, rowGroups) = (files + 1, rowGroups + groups);
                TwoReaders.AssertSameCells(TwoReaders.ReadWithDuckDb(_connection, file), parquetNet, file);
                cells.AddRange(parquetNet);
            }

            // The files hold the rows in order, so Parquet.Net's cells are the rows the serving layer loads.
            TwoReaders.AssertSameCells([.. rows.Select(Cells)], cells, granularity);
            Assert.Contains(cells, c => c[12] is byte[] { Length: > 0 });
            Assert.True(rowGroups > files, $"{granularity}: {rowGroups} row groups in {files} files");
        }
    }

    /// <summary>A view row as the files' cells (<see cref="BatchViewFiles.Columns"/>).</summary>
    private static object?[] Cells(SharedModel.Views.BatchViewRow row) =>
    [
        row.Granularity, row.CampaignId, row.BucketStartMs, row.Counts.Impressions, row.Counts.Views, row.Counts.Clicks,
        row.Counts.SpendMicros, row.Counts.BotFiltered, row.Counts.Late, row.Counts.Unattributed, row.Counts.Duplicates,
        row.Uniques, row.UniquesSketch,
    ];

    /// <summary>
    /// Reads every master file <paramref name="include"/> accepts with both readers and compares each with the
    /// decoded records of its topic, partition, offset range and date; returns the files, row groups and cells read.
    /// </summary>
    private (int Files, int RowGroups, List<object?[]> Cells) AssertMasterFiles(IReadOnlyList<DecodedRecord> expected, Func<string, bool> include)
    {
        var (files, rowGroups, cells) = (0, 0, new List<object?[]>());
        foreach (var file in MasterFiles().Where(include))
        {
            var topic = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(file)))!;
            Assert.True(MasterDataset.TryParseFileName(Path.GetFileName(file), out var partition, out var from, out var to));
            var date = DateOf(file);
            var want = expected
                .Where(r => r.Topic == topic && r.Partition == partition && r.Offset >= from && r.Offset < to
                    && MasterDataset.EventDate((long)r.Cells[13]!) == date)
                .Select(r => r.Cells).ToList();

            var (parquetNet, groups) = TwoReaders.ReadWithParquetNet(file);
            TwoReaders.AssertSameCells(want, parquetNet, $"{file} (Parquet.Net)");
            TwoReaders.AssertSameCells(want, TwoReaders.ReadWithDuckDb(_connection, file), $"{file} (DuckDB)");
            (files, rowGroups) = (files + 1, rowGroups + groups);
            cells.AddRange(parquetNet);
        }

        return (files, rowGroups, cells);
    }

    private List<string> MasterFiles() =>
        [.. MasterDataset.TopicsArchived.Where(t => Directory.Exists(MasterDataset.TopicDirectory(_bed.Master, t)))
            .SelectMany(t => Directory.EnumerateFiles(MasterDataset.TopicDirectory(_bed.Master, t), "*.parquet", SearchOption.AllDirectories))];

    private static DateOnly DateOf(string file)
    {
        Assert.True(MasterDataset.TryParseDateDirectory(Path.GetFileName(Path.GetDirectoryName(file))!, out var date));
        return date;
    }

    /// <summary>Every record of the log decoded, as the master schema's cells: what the archive was given to write.</summary>
    private async Task<List<DecodedRecord>> DecodedLogAsync()
    {
        var decoded = new List<DecodedRecord>();
        await using var log = _bed.OpenLog();
        using var reader = log.CreateReader();
        var decoder = new EventDecoder();
        foreach (var topic in MasterDataset.TopicsArchived)
        {
            Assert.True(Topics.TryGetKind(topic, out var kind));
            for (var partition = 0; partition < MasterTestBed.Partitions; partition++)
            {
                var batch = new RecordBatch();
                for (long offset = 0; ; offset = batch.NextOffset)
                {
                    await reader.ReadAsync(new TopicPartition(topic, partition), offset, batch, 8192, TimeSpan.Zero);
                    if (batch.Count == 0)
                    {
                        break;
                    }

                    for (var i = 0; i < batch.Count; i++)
                    {
                        var record = batch[i];
                        Assert.True(decoder.TryDecodeRecord(kind, record.Value, record.TimestampMs, out var ev, out _));
                        decoded.Add(new DecodedRecord(topic, partition, record.Offset, Cells(kind, ev!, partition, record.Offset, record.TimestampMs)));
                    }
                }
            }
        }

        return decoded;
    }

    private static object?[] Cells(EventKind kind, AdEventRecord ev, int partition, long offset, long logTimeMs)
    {
        var served = kind == EventKind.Served;
        var ip = IpKey.TryParse(ev.Ip.AsSpan(), out var key) ? key : (UInt128?)null;
        return
        [
            ev.EventId, ev.AdId, served ? ev.CampaignId : null, served ? ev.AdvertiserId : null, ev.UserId, UserHash.Of(ev.UserId), ev.Ip,
            ip is { } hi ? (ulong)(hi >> 64) : null, ip is { } lo ? (ulong)lo : null, ev.UserAgent, served ? ev.Placement : null,
            served ? ev.Score : null, served ? ev.CostMicros : null, ev.EventTimeMs, partition, offset, logTimeMs,
        ];
    }

    private sealed record DecodedRecord(string Topic, int Partition, long Offset, object?[] Cells);
}

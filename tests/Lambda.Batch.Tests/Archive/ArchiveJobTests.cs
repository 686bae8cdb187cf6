using Lambda.Batch.Master;
using Lambda.DuckDb;
using Lambda.SharedModel.Bots;
using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Sketches;

namespace Lambda.Batch.Tests.Archive;

public sealed class ArchiveJobTests : IDisposable
{
    private readonly MasterTestBed _bed = new();

    [Fact]
    public async Task archive_writes_every_valid_record_once_in_files_named_by_partition_offsets_and_date()
    {
        await _bed.GenerateAsync(60_000);
        var result = await _bed.ArchiveAsync();

        Assert.Equal(1, result.Run);
        foreach (var topic in Topics.EventTopics)
        {
            Assert.Equal(_bed.Written[topic], MasterTestBed.Count(_bed.Master, topic));
            Assert.Equal(_bed.Written[topic], result.Topics.Single(t => t.Topic == topic).Records);
        }

        Assert.Equal([MasterTestBed.FirstDay, MasterTestBed.SecondDay], result.Dates);
        var manifest = ArchiveManifest.Load(_bed.Master);
        foreach (var file in MasterTestBed.Files(_bed.Master))
        {
            var parts = file.Split(Path.DirectorySeparatorChar);
            Assert.Equal(3, parts.Length);
            Assert.Contains(parts[0], Topics.EventTopics);
            Assert.True(MasterDataset.TryParseDateDirectory(parts[1], out var date), file);
            Assert.True(MasterDataset.TryParseFileName(parts[2], out var partition, out var from, out var to), file);
            Assert.Equal(MasterDataset.FileName(partition, from, to), parts[2]);
            Assert.True(to - from <= 20_000 && from % 20_000 == 0, file);
            Assert.True(manifest.Covers(parts[0], parts[2]));
            // Every row of the file lies in its date and offset range.
            var rows = MasterTestBed.Count(_bed.Master, parts[0],
                $"log_partition = {partition} AND log_offset >= {from} AND log_offset < {to} AND event_time_ms >= {MasterDataset.DateStartMs(date)} AND event_time_ms < {MasterDataset.DateStartMs(date.AddDays(1))}");
            Assert.True(rows > 0, file);
        }

        Assert.False(Directory.Exists(MasterDataset.StagingDirectory(_bed.Master)));
    }

    [Fact]
    public async Task archived_rows_hold_the_decoded_record_its_hashes_and_its_log_position()
    {
        await _bed.GenerateAsync(20_000);
        await _bed.ArchiveAsync();

        await using var log = _bed.OpenLog();
        using var logReader = log.CreateReader();
        var batch = new RecordBatch();
        await logReader.ReadAsync(new TopicPartition(Topics.Served, 1), 100, batch, 1, TimeSpan.Zero);
        var record = batch[0];
        Assert.True(new EventDecoder().TryDecodeRecord(EventKind.Served, record.Value, record.TimestampMs, out var ev, out _));
        var ip = IpKey.Parse(ev!.Ip);

        using var database = DuckDbDatabase.OpenInMemory();
        using var connection = database.Connect();
        using var reader = connection.Query(
            $"SELECT event_id, ad_id, campaign_id, advertiser_id, user_id, user_hash, ip, ip_hi, ip_lo, user_agent, placement, score, cost_micros, event_time_ms, log_time_ms " +
            $"FROM read_parquet({DuckDbSql.Literal(MasterDataset.Glob(_bed.Master, Topics.Served))}) WHERE log_partition = 1 AND log_offset = 100");
        Assert.True(reader.Read());
        Assert.Equal(ev.EventId, reader.GetString(0));
        Assert.Equal(ev.AdId, reader.GetString(1));
        Assert.Equal(ev.CampaignId, reader.GetString(2));
        Assert.Equal(ev.AdvertiserId, reader.GetString(3));
        Assert.Equal(ev.UserId, reader.GetString(4));
        Assert.Equal(UserHash.Of(ev.UserId), reader.GetUInt64(5));
        Assert.Equal(ev.Ip, reader.GetString(6));
        Assert.Equal((ulong)(ip >> 64), reader.GetUInt64(7));
        Assert.Equal((ulong)ip, reader.GetUInt64(8));
        Assert.Equal(ev.UserAgent, reader.GetString(9));
        Assert.Equal(ev.Placement, reader.GetString(10));
        Assert.Equal(ev.Score, reader.GetDouble(11));
        Assert.Equal(ev.CostMicros, reader.GetInt64(12));
        Assert.Equal(ev.EventTimeMs, reader.GetInt64(13));
        Assert.Equal(record.TimestampMs, reader.GetInt64(14));
        Assert.False(reader.Read());

        // Views carry no served-only values.
        Assert.Equal(0, MasterTestBed.Count(_bed.Master, Topics.Views, "campaign_id IS NOT NULL OR cost_micros IS NOT NULL OR placement IS NOT NULL"));
    }

    [Fact]
    public async Task a_second_run_archives_nothing_and_a_run_after_appends_archives_only_the_new_records()
    {
        await _bed.GenerateAsync(30_000);
        var first = await _bed.ArchiveAsync();
        var filesAfterFirst = MasterTestBed.Files(_bed.Master);

        var second = await _bed.ArchiveAsync();
        Assert.Null(second.Run);
        Assert.Equal(0, second.RecordsRead);
        Assert.Equal(filesAfterFirst, MasterTestBed.Files(_bed.Master));
        Assert.Equal(1, ArchiveManifest.Load(_bed.Master).LastRun);

        await _bed.GenerateAsync(10_000);
        var third = await _bed.ArchiveAsync();
        Assert.Equal(2, third.Run);
        Assert.Equal(10_000, third.Records);
        Assert.Superset(filesAfterFirst.ToHashSet(), MasterTestBed.Files(_bed.Master).ToHashSet());
        foreach (var topic in Topics.EventTopics)
        {
            Assert.Equal(_bed.Written[topic], MasterTestBed.Count(_bed.Master, topic));
            Assert.Equal(0, MasterTestBed.Count(_bed.Master, topic,
                $"event_id IN (SELECT event_id FROM read_parquet({DuckDbSql.Literal(MasterDataset.Glob(_bed.Master, topic))}) GROUP BY event_id, log_partition, log_offset HAVING count(*) > 1)"));
        }

        var manifest = ArchiveManifest.Load(_bed.Master);
        Assert.Equal([1L, 2L], manifest.Runs.Select(r => r.Run));
        Assert.Equal([MasterTestBed.FirstDay, MasterTestBed.SecondDay], first.Dates);
        Assert.Equal(first.Dates, manifest.DatesDirtiedSince(0).Order());
        Assert.Equal(third.Dates, manifest.DatesDirtiedSince(1).Order());
        Assert.Equal([MasterTestBed.SecondDay], third.Dates);
    }

    [Fact]
    public async Task invalid_records_are_skipped_and_counted()
    {
        await _bed.GenerateAsync(10_000);
        await _bed.AppendInvalidAsync(Topics.Views, 7);
        var validViews = _bed.Written[Topics.Views] - 7;

        var result = await _bed.ArchiveAsync();

        var views = result.Topics.Single(t => t.Topic == Topics.Views);
        Assert.Equal(7, views.InvalidSkipped);
        Assert.Equal(validViews, views.Records);
        Assert.Equal(7, result.InvalidSkipped);
        Assert.Equal(validViews, MasterTestBed.Count(_bed.Master, Topics.Views));
        Assert.Equal(_bed.Written.Values.Sum(), result.RecordsRead);
        // The invalid records are behind the archived offset: a rerun does not meet them again.
        Assert.Equal(0, (await _bed.ArchiveAsync()).InvalidSkipped);
    }

    [Fact]
    public async Task records_of_several_dates_interleaved_with_invalid_ones_each_land_once_in_their_dates_file()
    {
        // Dates cycle A, B, A, invalid, C (late), B, ...: a chunk's other dates are neither contiguous nor alone.
        DateOnly[] cycle = [MasterTestBed.FirstDay, MasterTestBed.SecondDay, MasterTestBed.FirstDay, default, MasterTestBed.FirstDay.AddDays(-3), MasterTestBed.SecondDay];
        const int Records = 1_000;
        var expected = new Dictionary<DateOnly, List<long>>();
        await using (var log = _bed.OpenLog())
        {
            foreach (var topic in Topics.All)
            {
                await log.CreateTopicAsync(topic, MasterTestBed.Partitions);
            }

            await using var producer = log.CreateProducer();
            using var encoder = new EventEncoder();
            var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            for (var offset = 0; offset < Records; offset++)
            {
                var date = cycle[offset % cycle.Length];
                var value = date == default
                    ? "{\"event_id\":\"no-other-field\"}"u8.ToArray()
                    : encoder.Encode(new AdEventRecord
                    {
                        Kind = EventKind.View,
                        EventId = $"e-{offset}",
                        AdId = "ad-1",
                        UserId = "u-1",
                        Ip = "10.0.0.1",
                        UserAgent = "agent",
                        EventTimeMs = MasterDataset.DateStartMs(date) + offset,
                    });
                producer.Enqueue(new TopicPartition(Topics.Views, 0), "k"u8, value, nowMs);
                if (date != default)
                {
                    (expected.TryGetValue(date, out var offsets) ? offsets : expected[date] = []).Add(offset);
                }
            }

            await producer.FlushAsync();
        }

        var result = await _bed.ArchiveAsync(chunkRecords: 128);

        Assert.Equal(Records / cycle.Length + 1, result.InvalidSkipped);
        Assert.Equal(expected.Keys.Order(), result.Dates);
        Assert.Equal(expected.Values.Sum(o => o.Count), MasterTestBed.Count(_bed.Master, Topics.Views));
        foreach (var (date, offsets) in expected)
        {
            var inDate = MasterTestBed.Count(_bed.Master, Topics.Views,
                $"event_time_ms >= {MasterDataset.DateStartMs(date)} AND event_time_ms < {MasterDataset.DateStartMs(date.AddDays(1))} AND event_id = 'e-' || log_offset");
            Assert.Equal(offsets.Count, inDate);
        }

        // Every row lies in the file of its date.
        Assert.Equal(0, MasterTestBed.Count(_bed.Master, Topics.Views,
            "filename NOT LIKE '%' || epoch_ms(event_time_ms)::DATE::VARCHAR || '%'"));
    }

    [Fact]
    public async Task leftovers_of_a_crashed_run_are_deleted_and_rearchived_from_the_manifest_offset()
    {
        await _bed.GenerateAsync(30_000);
        await _bed.ArchiveAsync();
        var reference = MasterTestBed.Rows(_bed.Master);

        // Fake a crash after the renames of a run whose manifest commit never happened: an uncommitted
        // file and a staging leftover.
        var manifest = ArchiveManifest.Load(_bed.Master);
        var (tp, end) = manifest.ArchivedTo.First(e => e.Key.Topic == Topics.Served);
        var orphan = Path.Combine(MasterDataset.DateDirectory(_bed.Master, tp.Topic, MasterTestBed.SecondDay), MasterDataset.FileName(tp.Partition, end, end + 5));
        File.Copy(Directory.EnumerateFiles(MasterDataset.DateDirectory(_bed.Master, tp.Topic, MasterTestBed.SecondDay)).First(), orphan);
        Directory.CreateDirectory(MasterDataset.StagingDirectory(_bed.Master));
        File.WriteAllText(Path.Combine(MasterDataset.StagingDirectory(_bed.Master), "half.parquet"), "torn");

        var result = await _bed.ArchiveAsync();

        Assert.Equal(1, result.OrphansDeleted);
        Assert.False(File.Exists(orphan));
        Assert.False(Directory.Exists(MasterDataset.StagingDirectory(_bed.Master)));
        Assert.Equal(reference, MasterTestBed.Rows(_bed.Master));
    }

    public void Dispose() => _bed.Dispose();
}

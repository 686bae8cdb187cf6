using System.Text;
using Lambda.Log.Embedded;
using Lambda.Log.Embedded.Storage;
using Lambda.SharedModel.Ingestion;
using Lambda.SharedModel.Log;

namespace Lambda.Log.Tests.Embedded;

/// <summary>
/// The segment format, byte for byte (see <c>BatchFormat</c>): what the log writes, and that segments in
/// each format read back after a clean close and after a crash. Format 1 is what every log written before
/// record headers holds: those bytes must stay readable forever, and stay what a batch without headers is.
/// </summary>
public sealed class SegmentFormatGoldenTests : EmbeddedLogFixture
{
    private static readonly DateTimeOffset AppendTime = new(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);

    // ("k1", "v1") and ("k2", "v2"), appended at 2026-11-21T00:00Z (1795219200000 ms): one format 1 batch.
    private const string FormatOne = """
        4c 42 41 54  44 00 00 00  b5 eb d8 91                               -- magic "LBAT" | length 68 | crc32
        00 00 00 00 00 00 00 00  02 00 00 00  01 00 00 00                   -- base offset 0 | count 2 | format 1
        00 18 67 fb a1 01 00 00  02 00 00 00  02 00 00 00  6b 31  76 31     -- timestamp | key length | value length | "k1" | "v1"
        00 18 67 fb a1 01 00 00  02 00 00 00  02 00 00 00  6b 32  76 32     -- timestamp | key length | value length | "k2" | "v2"
        """;

    // The same records, the first with the header lambda-request-id = "req-1": one format 2 batch.
    private const string FormatTwo = """
        4c 42 41 54  64 00 00 00  15 42 34 a9                               -- magic "LBAT" | length 100 | crc32
        00 00 00 00 00 00 00 00  02 00 00 00  02 00 00 00                   -- base offset 0 | count 2 | format 2
        00 18 67 fb a1 01 00 00  02 00 00 00  02 00 00 00  18 00 00 00      -- timestamp | key length | value length | headers length 24
        6b 31  76 31                                                        -- "k1" | "v1"
        11 6c 61 6d 62 64 61 2d 72 65 71 75 65 73 74 2d 69 64               -- key length 17 | "lambda-request-id"
        05 72 65 71 2d 31                                                   -- value length 5 | "req-1"
        00 18 67 fb a1 01 00 00  02 00 00 00  02 00 00 00  00 00 00 00      -- timestamp | key length | value length | headers length 0
        6b 32  76 32                                                        -- "k2" | "v2"
        """;

    [Theory]
    [InlineData(false, FormatOne)]
    [InlineData(true, FormatTwo)]
    public async Task a_batch_is_written_in_format_1_without_headers_and_format_2_with_them(bool withRequestId, string golden)
    {
        await using (var log = EmbeddedEventLog.Open(FixedTimeOptions()))
        {
            await log.CreateTopicAsync(Topic, 1);
            await using var producer = log.CreateProducer();
            var tp = new TopicPartition(Topic, 0);
            producer.Enqueue(tp, "k1"u8, "v1"u8, 0, new RecordHeaders(withRequestId ? RequestId.Headers("req-1") : null));
            producer.Enqueue(tp, "k2"u8, "v2"u8, 0);
            await producer.FlushAsync();
        }

        Assert.Equal(Hex(golden), await File.ReadAllBytesAsync(SegmentFiles(0).Single()));
    }

    [Theory]
    [InlineData(FormatOne, false)]
    [InlineData(FormatOne, true)]
    [InlineData(FormatTwo, false)]
    [InlineData(FormatTwo, true)]
    public async Task a_segment_of_either_format_reads_back_and_takes_appends(string golden, bool crashed)
    {
        var partition = PartitionPath(0);
        System.IO.Directory.CreateDirectory(partition);
        await File.WriteAllTextAsync(Path.Combine(Directory.Path, "topics", Topic, "topic.meta"), "partitions=1\n");
        await File.WriteAllBytesAsync(Path.Combine(partition, "00000000000000000000.seg"), Hex(golden));
        if (!crashed)
        {
            // The clean-close marker: the open hops from header to header instead of verifying each batch.
            await File.WriteAllBytesAsync(Path.Combine(Directory.Path, ".clean"), []);
        }

        await using var log = EmbeddedEventLog.Open(FixedTimeOptions());
        await using (var producer = log.CreateProducer())
        {
            producer.Enqueue(new TopicPartition(Topic, 0), "k3"u8, "v3"u8, 0, new RecordHeaders(RequestId.Headers("req-3")));
            await producer.FlushAsync();
        }

        var records = await ReadAsync(log);
        var firstId = golden == FormatTwo ? "req-1" : null;
        Assert.Equal(
            [(0L, "k1", "v1", firstId), (1L, "k2", "v2", null), (2L, "k3", "v3", "req-3")],
            records.Select(r => (r.Offset, r.Key, r.Value, r.RequestId)));
        Assert.All(records, r => Assert.Equal(AppendTime.ToUnixTimeMilliseconds(), r.TimestampMs));
    }

    [Fact]
    public async Task a_record_with_headers_closes_a_format_1_batch_and_a_format_2_batch_takes_plain_records_too()
    {
        await using (var log = EmbeddedEventLog.Open(FixedTimeOptions()))
        {
            await log.CreateTopicAsync(Topic, 1);
            await using var producer = log.CreateProducer();
            var tp = new TopicPartition(Topic, 0);
            producer.Enqueue(tp, "k1"u8, "v1"u8, 0);
            producer.Enqueue(tp, "k2"u8, "v2"u8, 0, new RecordHeaders(RequestId.Headers("req-2")));
            producer.Enqueue(tp, "k3"u8, "v3"u8, 0);
            await producer.FlushAsync();
        }

        var segment = await File.ReadAllBytesAsync(SegmentFiles(0).Single());
        var batches = new List<(int Format, int Count)>();
        for (var position = 0; position < segment.Length; position += BatchFormat.ReadLength(segment.AsSpan(position)))
        {
            Assert.True(BatchFormat.IsIntact(segment.AsSpan(position, BatchFormat.ReadLength(segment.AsSpan(position)))));
            batches.Add((BatchFormat.ReadFormat(segment.AsSpan(position)), BatchFormat.ReadCount(segment.AsSpan(position))));
        }

        Assert.Equal([(1, 1), (2, 2)], batches);
    }

    private EmbeddedLogOptions FixedTimeOptions()
    {
        var options = Options();
        options.Time = new FixedTime(AppendTime);
        return options;
    }

    private static async Task<List<(long Offset, long TimestampMs, string Key, string Value, string? RequestId)>> ReadAsync(IEventLog log)
    {
        using var reader = log.CreateReader();
        var batch = new RecordBatch();
        await reader.ReadAsync(new TopicPartition(Topic, 0), 0, batch, 100, TimeSpan.Zero);
        var records = new List<(long, long, string, string, string?)>();
        for (var i = 0; i < batch.Count; i++)
        {
            var r = batch[i];
            records.Add((r.Offset, r.TimestampMs, Encoding.UTF8.GetString(r.Key), Encoding.UTF8.GetString(r.Value), RequestId.Of(r.Headers)));
        }

        return records;
    }

    /// <summary>The bytes of a golden dump: hex pairs, each line's description after "--" left out.</summary>
    private static byte[] Hex(string dump) => Convert.FromHexString(string.Concat(
        dump.Split('\n').Select(line => line.Split("--")[0].Replace(" ", "", StringComparison.Ordinal).Trim())));

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

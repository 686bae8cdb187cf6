using System.Text;
using Lambda.SharedModel.Ingestion;
using Lambda.SharedModel.Log;

namespace Lambda.SharedModel.Tests.Log;

/// <summary>Record headers: their encoding, a parser that never throws on bad bytes, and a read path that allocates nothing.</summary>
public sealed class RecordHeadersTests
{
    [Fact]
    public void headers_enumerate_in_order_with_repeats_and_the_first_of_a_key_is_found()
    {
        var encoded = new RecordHeadersWriter(initialBytes: 4)
            .Add("lambda-request-id", "r-1"u8)
            .Add("empty", [])
            .Add("lambda-request-id", "r-2"u8)
            .Add("big", new byte[200])
            .ToArray();
        var headers = new RecordHeaders(encoded);

        var seen = new List<(string, int)>();
        foreach (var header in headers)
        {
            seen.Add((Encoding.UTF8.GetString(header.Key), header.Value.Length));
        }

        Assert.Equal([("lambda-request-id", 3), ("empty", 0), ("lambda-request-id", 3), ("big", 200)], seen);
        Assert.True(headers.IsWellFormed);
        Assert.True(headers.TryGet("lambda-request-id"u8, out var first));
        Assert.Equal("r-1"u8.ToArray(), first.ToArray());
        Assert.False(headers.TryGet("missing"u8, out _));
        // Key length 17, the key, value length 3, the value; the 200-byte value's length takes two bytes.
        Assert.Equal([17, .. "lambda-request-id"u8, 3, .. "r-1"u8], encoded[..22]);
        Assert.Equal([3, .. "big"u8, 0xC8, 0x01], encoded[^206..^200]);
    }

    [Theory]
    [InlineData(new byte[] { 5, (byte)'a' })]                  // key runs past the end
    [InlineData(new byte[] { 1, (byte)'a' })]                  // no value length
    [InlineData(new byte[] { 1, (byte)'a', 2, 0 })]            // value runs past the end
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 1 })] // a length of more than 5 bytes
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })]  // a length past int.MaxValue
    public void bytes_that_do_not_parse_end_the_enumeration_without_throwing(byte[] encoded)
    {
        var headers = new RecordHeaders(encoded);

        Assert.False(headers.IsWellFormed);
        Assert.False(headers.TryGet("a"u8, out _));
        Assert.Null(RequestId.Of(headers));
    }

    [Fact]
    public void no_headers_are_well_formed_and_carry_no_request_id()
    {
        Assert.True(default(RecordHeaders).IsWellFormed);
        Assert.True(default(RecordHeaders).IsEmpty);
        Assert.Null(RequestId.Of(default));
        Assert.Null(RequestId.HeadersDerivedFrom(default));
    }

    [Theory]
    [InlineData("4bf92f3577b34da6a3ce929d0e0e4736", true)]
    [InlineData("order-42/retry:1", true)]
    [InlineData("", false)]
    [InlineData("two words", false)]
    [InlineData("tab\there", false)]
    [InlineData("clé", false)]
    public void a_request_id_is_1_to_128_visible_ascii_characters(string id, bool valid)
    {
        Assert.Equal(valid, RequestId.IsValid(id));
        if (!valid)
        {
            Assert.Throws<ArgumentException>(() => RequestId.Headers(id));
        }
    }

    [Fact]
    public void a_derived_record_keeps_only_the_request_id()
    {
        var source = new RecordHeadersWriter().Add("content-type", "x"u8).Add(RequestId.HeaderKey, "r-9"u8).ToArray();

        Assert.Equal(RequestId.Headers("r-9"), RequestId.HeadersDerivedFrom(new RecordHeaders(source)));
        Assert.True(RequestId.IsValid(RequestId.New()));
        Assert.False(RequestId.IsValid(new string('a', RequestId.MaxLength + 1)));
    }

    [Fact]
    public void reading_records_and_their_request_ids_from_a_warm_batch_allocates_nothing()
    {
        var headers = RequestId.Headers("4bf92f3577b34da6a3ce929d0e0e4736");
        var batch = new RecordBatch(16, 4096);
        var found = Fill(batch, headers);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            found += Fill(batch, headers);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1_001 * 8, found);

        static int Fill(RecordBatch batch, byte[] headers)
        {
            batch.Reset(0);
            for (var i = 0; i < 16; i++)
            {
                batch.Add(i, 1, "key"u8, "value"u8, new RecordHeaders(i % 2 == 0 ? headers : null));
            }

            var found = 0;
            for (var i = 0; i < batch.Count; i++)
            {
                found += RequestId.TryRead(batch[i].Headers, out var id) && id.Length == 32 ? 1 : 0;
            }

            return found;
        }
    }
}

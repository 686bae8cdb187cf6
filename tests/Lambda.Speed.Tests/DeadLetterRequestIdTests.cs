using System.Text;
using Lambda.Log.Embedded;
using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Ingestion;
using Lambda.SharedModel.Log;
using Lambda.Speed.Output;

namespace Lambda.Speed.Tests;

/// <summary>A record's request id follows it into the dead letter the speed layer makes of it.</summary>
public sealed class DeadLetterRequestIdTests
{
    private static readonly long T0 = ProcessorHarness.T0;

    [Fact]
    public void the_processor_hands_the_rejected_record_with_its_headers_to_the_dead_letters()
    {
        var h = new ProcessorHarness();
        var encoder = new EventEncoder();
        h.Served("ad-1", "camp", T0, advertiser: "adv-1");
        var claim = new AdEventRecord
        {
            Kind = EventKind.Served,
            EventId = "e-2",
            AdId = "ad-2",
            CampaignId = "camp",
            AdvertiserId = "adv-2",
            UserId = "u1",
            Ip = "10.0.0.1",
            UserAgent = "Mozilla/5.0",
            Placement = "top",
            Score = 0.5,
            CostMicros = 1,
            EventTimeMs = T0,
        };
        h.SendRaw((int)EventKind.Served, encoder.Encode(claim), headers: RequestId.Headers("req-owner"));
        h.SendRaw((int)EventKind.View, "{\"not\":\"a view\"}"u8.ToArray(), headers: RequestId.Headers("req-junk"));
        h.SendRaw((int)EventKind.View, "{}"u8.ToArray());

        Assert.Equal(
            [(RejectReason.CampaignOwnerMismatch, "req-owner"), (RejectReason.MissingField, "req-junk"), (RejectReason.MissingField, null)],
            h.DeadLetters.Rejected.Select(r => (r.Reason, r.RequestId)));
    }

    [Fact]
    public async Task a_dead_letter_carries_its_records_request_id_as_its_own_header_and_no_other()
    {
        using var dir = new TempDirectory("lambda-dead-letter-id");
        await using var log = EmbeddedEventLog.Open(new EmbeddedLogOptions { RootPath = dir.Path, Fsync = FsyncPolicy.Never });
        await log.CreateTopicAsync(Topics.DeadLetters, 2);
        var source = new TopicPartition(Topics.Views, 1);
        var batch = new RecordBatch();
        batch.Add(7, T0, "ad-1"u8, "{}"u8, new RecordHeadersWriter().Add("trace", "x"u8).Add(RequestId.HeaderKey, "req-7"u8).Headers);
        batch.Add(8, T0, "ad-2"u8, "{}"u8);

        await using (var producer = log.CreateProducer())
        {
            var sink = new LogDeadLetterSink(producer);
            sink.Reject(source, batch[0], new DecodeResult(RejectReason.MissingField, "event_id"));
            sink.Reject(source, batch[1], new DecodeResult(RejectReason.MissingField, "event_id"));
            await sink.FlushAsync(CancellationToken.None);
        }

        var letters = new Dictionary<string, byte[]>();
        using var reader = log.CreateReader();
        var read = new RecordBatch();
        for (var p = 0; p < 2; p++)
        {
            await reader.ReadAsync(new TopicPartition(Topics.DeadLetters, p), 0, read, 10, TimeSpan.Zero);
            for (var i = 0; i < read.Count; i++)
            {
                letters[DeadLetterCodec.Decode(read[i].Value).Source] = read[i].Headers.Encoded.ToArray();
            }
        }

        Assert.Equal(RequestId.Headers("req-7"), letters["speed:ad-views[1]@7"]);
        Assert.Empty(letters["speed:ad-views[1]@8"]);
    }
}

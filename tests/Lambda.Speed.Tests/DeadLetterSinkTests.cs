using System.Text;
using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Ingestion;
using Lambda.SharedModel.Log;
using Lambda.Speed.Output;

namespace Lambda.Speed.Tests;

public sealed class DeadLetterSinkTests
{
    [Fact]
    public async Task letters_whose_delivery_failed_are_sent_again_by_the_next_flush_and_none_is_lost()
    {
        var log = new OutageProducer();
        var sink = new LogDeadLetterSink(log);
        var source = new TopicPartition(Topics.Views, 1);
        var id = new RecordHeadersWriter().Add(RequestId.HeaderKey, "req-7"u8).ToArray();
        sink.Reject(source, new LogRecord(10, 0, "ad-1"u8, "not json"u8, new RecordHeaders(id)), new DecodeResult(RejectReason.MalformedJson, null));
        sink.Reject(source, new LogRecord(11, 0, "ad-2"u8, "{}"u8), new DecodeResult(RejectReason.MissingField, "event_id"));

        // The log is down: the delivery fails, the producer drops both letters, and the error goes up to
        // the worker, which retries the step.
        log.FailNextFlush = true;
        await Assert.ThrowsAsync<OutageProducer.DeliveryFailed>(() => sink.FlushAsync(CancellationToken.None));
        Assert.Empty(log.Durable);

        await sink.FlushAsync(CancellationToken.None);
        await sink.FlushAsync(CancellationToken.None); // nothing new: nothing sent twice

        Assert.Equal(["speed:ad-views[1]@10", "speed:ad-views[1]@11"], log.Durable.Select(r => Encoding.UTF8.GetString(r.Key)));
        Assert.Equal([RejectReason.MalformedJson, RejectReason.MissingField], log.Durable.Select(r => DeadLetterCodec.Decode(r.Value).Reason));
        Assert.Equal(id, log.Durable[0].Headers); // the request id survives the resend
        Assert.Empty(log.Durable[1].Headers);
    }

    /// <summary>A producer whose next flush can fail as a Kafka outage does: the records enqueued before it are lost.</summary>
    private sealed class OutageProducer : ILogProducer
    {
        private readonly List<(byte[] Key, byte[] Value, byte[] Headers)> _pending = [];

        public bool FailNextFlush { get; set; }

        public List<(byte[] Key, byte[] Value, byte[] Headers)> Durable { get; } = [];

        public int Enqueue(string topic, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long timestampMs, RecordHeaders headers = default)
        {
            Assert.Equal(Topics.DeadLetters, topic);
            _pending.Add((key.ToArray(), value.ToArray(), headers.Encoded.ToArray()));
            return 0;
        }

        public void Enqueue(TopicPartition topicPartition, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long timestampMs, RecordHeaders headers = default) =>
            throw new NotSupportedException();

        public ValueTask FlushAsync(CancellationToken cancellationToken = default)
        {
            if (FailNextFlush)
            {
                FailNextFlush = false;
                _pending.Clear();
                throw new DeliveryFailed();
            }

            Durable.AddRange(_pending);
            _pending.Clear();
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        public sealed class DeliveryFailed() : LogUnavailableException("2 record(s) were not delivered");
    }
}

using System.Text;
using System.Text.Json;
using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;

namespace Lambda.SharedModel.Ingestion;

/// <summary>
/// Validates JSON records and appends them to the log: a valid record goes to its topic, keyed by
/// its ad_id, with its original bytes; an invalid one goes to dead-letters with its bytes, source,
/// line and reason. Nothing is dropped. The topic comes from a fixed topic or from the record's
/// <c>type</c> field (served, view, click or a topic name). Given a request id, every record it
/// appends, valid or dead letter, carries it (<see cref="RequestId"/>). Not thread-safe: one per producer.
/// </summary>
public sealed class EventIngestor
{
    private readonly ILogProducer _producer;
    private readonly TimeProvider _time;
    private readonly EventDecoder _decoder;
    private readonly string? _fixedTopic;
    private readonly byte[]? _headers;

    /// <param name="fixedTopic">Send every record to this topic instead of routing by <c>type</c>.</param>
    /// <param name="maxFutureSkewMs">How far ahead of now an event time may lie (the layers' default unless given).</param>
    /// <param name="requestId">The id of the request the records came with (<see cref="RequestId.IsValid"/>), or null for none.</param>
    public EventIngestor(ILogProducer producer, TimeProvider time, string? fixedTopic = null, long maxFutureSkewMs = EventDecoder.DefaultMaxFutureSkewMs,
        string? requestId = null)
    {
        _decoder = new EventDecoder(maxFutureSkewMs);
        if (fixedTopic is not null && !Topics.TryGetKind(fixedTopic, out _))
        {
            throw new ArgumentException($"'{fixedTopic}' is not an event topic (expected {string.Join(", ", Topics.EventTopics)})", nameof(fixedTopic));
        }

        _producer = producer;
        _time = time;
        _fixedTopic = fixedTopic;
        _headers = requestId is null ? null : RequestId.Headers(requestId);
    }

    public IngestSummary Summary { get; } = new();

    /// <summary>Validates and enqueues one record; returns the rejection, or <see cref="DecodeResult.Ok"/>.</summary>
    public DecodeResult Ingest(ReadOnlySpan<byte> record, string source, long? line)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var result = Decode(record, now, out var topic, out var ev);
        if (!result.IsOk)
        {
            Reject(record, source, line, topic, result);
            return result;
        }

        _producer.Enqueue(topic!, ev.AdId, record, now, new RecordHeaders(_headers));
        Summary.CountAccepted(topic!);
        return result;
    }

    /// <summary>
    /// Validates one record as <see cref="Ingest"/> would, and appends nothing: lets a caller judge a
    /// whole batch before any of it reaches the log.
    /// </summary>
    public DecodeResult Check(ReadOnlySpan<byte> record) =>
        Decode(record, _time.GetUtcNow().ToUnixTimeMilliseconds(), out _, out _);

    /// <summary>Makes everything ingested so far durable.</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => _producer.FlushAsync(cancellationToken);

    private void Reject(ReadOnlySpan<byte> record, string source, long? line, string? topic, DecodeResult result)
    {
        var letter = DeadLetter.From(result, record, source, line, topic);
        var key = Encoding.UTF8.GetBytes(line is null ? source : $"{source}:{line}");
        _producer.Enqueue(Topics.DeadLetters, key, DeadLetterCodec.Encode(letter), _time.GetUtcNow().ToUnixTimeMilliseconds(),
            new RecordHeaders(_headers));
        Summary.CountRejected(result.Reason);
    }

    /// <summary>Routes and decodes <paramref name="record"/>; <paramref name="topic"/> is null if it could not be routed.</summary>
    private DecodeResult Decode(ReadOnlySpan<byte> record, long now, out string? topic, out AdEvent ev)
    {
        ev = default;
        topic = _fixedTopic;
        if (topic is null && !TryRoute(record, out topic, out var routing))
        {
            return routing;
        }

        Topics.TryGetKind(topic!, out var kind);
        return _decoder.Decode(kind, record, now, out ev);
    }

    /// <summary>Finds the topic from the record's top-level <c>type</c> field.</summary>
    private static bool TryRoute(ReadOnlySpan<byte> record, out string? topic, out DecodeResult result)
    {
        topic = null;
        if (record.Length > EventDecoder.MaxRecordBytes)
        {
            result = new DecodeResult(RejectReason.TooLarge, null);
            return false;
        }

        // Not an object: the reader would say so too, but by throwing, which costs microseconds a
        // record (seconds for a body of junk lines).
        var first = record.IndexOfAnyExcept(" \t\r\n"u8);
        if (first < 0 || record[first] != '{')
        {
            result = new DecodeResult(RejectReason.MalformedJson, null);
            return false;
        }

        // Records that name their type first, as the generator writes them: routed without a JSON reader.
        if (record[first..].StartsWith("{\"type\":\""u8))
        {
            var value = record[(first + 9)..];
            var end = value.IndexOfAny((byte)'"', (byte)'\\');
            if (end > 0 && value[end] == (byte)'"')
            {
                topic = TopicOfType(value[..end]);
                result = topic is null ? new DecodeResult(RejectReason.UnknownTopic, "type") : DecodeResult.Ok;
                return topic is not null;
            }
        }

        try
        {
            var reader = new Utf8JsonReader(record);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                result = new DecodeResult(RejectReason.MalformedJson, null);
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("type"u8);
                reader.Read();
                if (isType)
                {
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        result = new DecodeResult(RejectReason.WrongType, "type");
                        return false;
                    }

                    topic = TopicOfType(System.Text.Encoding.UTF8.GetBytes(reader.GetString()!));
                    result = topic is null ? new DecodeResult(RejectReason.UnknownTopic, "type") : DecodeResult.Ok;
                    return topic is not null;
                }

                reader.Skip();
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a "type" holding an escape that is not valid UTF-16 (a lone surrogate).
            result = new DecodeResult(RejectReason.MalformedJson, null);
            return false;
        }

        result = new DecodeResult(RejectReason.MissingField, "type");
        return false;
    }

    private static string? TopicOfType(ReadOnlySpan<byte> type) =>
        type.SequenceEqual("served"u8) || type.SequenceEqual("impression"u8) || type.SequenceEqual("ad-served"u8) ? Topics.Served
        : type.SequenceEqual("view"u8) || type.SequenceEqual("ad-views"u8) ? Topics.Views
        : type.SequenceEqual("click"u8) || type.SequenceEqual("ad-clicks"u8) ? Topics.Clicks
        : null;
}

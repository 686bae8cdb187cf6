using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Lambda.SharedModel.Events;

namespace Lambda.SharedModel.Codec;

/// <summary>
/// Writes an <see cref="AdEventRecord"/> as compact wire JSON: the fields of its kind in wire order,
/// <c>event_time</c> as epoch milliseconds. Reusable, not thread-safe (it keeps one writer).
/// </summary>
public sealed class EventEncoder : IDisposable
{
    // Relaxed escaping keeps user agents readable ('+', '&', non-ASCII); the output is never embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly Utf8JsonWriter _writer = new(Stream.Null, WriterOptions);

    /// <summary>Appends the JSON of <paramref name="record"/> to <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">A required field is null or a number is out of range.</exception>
    public void Write(AdEventRecord record, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(output);
        Validate(record);
        _writer.Reset(output);
        _writer.WriteStartObject();
        _writer.WriteString(EventFields.EventId, record.EventId);
        _writer.WriteString(EventFields.AdId, record.AdId);
        if (record.Kind == EventKind.Served)
        {
            _writer.WriteString(EventFields.CampaignId, record.CampaignId);
            _writer.WriteString(EventFields.AdvertiserId, record.AdvertiserId);
        }

        _writer.WriteString(EventFields.UserId, record.UserId);
        _writer.WriteString(EventFields.Ip, record.Ip);
        _writer.WriteString(EventFields.UserAgent, record.UserAgent);
        if (record.Kind == EventKind.Served)
        {
            _writer.WriteString(EventFields.Placement, record.Placement);
            _writer.WriteNumber(EventFields.Score, record.Score);
            _writer.WriteNumber(EventFields.CostMicros, record.CostMicros);
        }

        _writer.WriteNumber(EventFields.EventTime, record.EventTimeMs);
        _writer.WriteEndObject();
        _writer.Flush();
    }

    /// <summary>The JSON of <paramref name="record"/> as a new array.</summary>
    public byte[] Encode(AdEventRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(record, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    public void Dispose() => _writer.Dispose();

    private static void Validate(AdEventRecord record)
    {
        if (record.Kind == EventKind.Served)
        {
            if (record.CampaignId is null || record.AdvertiserId is null || record.Placement is null)
            {
                throw new ArgumentException("a served record needs campaign_id, advertiser_id and placement", nameof(record));
            }

            if (!double.IsFinite(record.Score))
            {
                throw new ArgumentException("score must be finite", nameof(record));
            }
        }
        else if (record.Kind is not (EventKind.View or EventKind.Click))
        {
            throw new ArgumentException($"unknown event kind {record.Kind}", nameof(record));
        }
    }
}

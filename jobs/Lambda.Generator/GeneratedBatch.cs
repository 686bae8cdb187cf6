using Lambda.Generator.Json;
using Lambda.SharedModel.Events;

namespace Lambda.Generator;

/// <summary>
/// A reusable batch of generated records: JSON values laid out back to back, each followed by '\n'
/// (so with <see cref="IncludeType"/> the whole <see cref="JsonLines"/> span is a ready JSON Lines chunk),
/// plus each record's topic, key (its ad_id) and <see cref="GeneratedEvent"/>. Refilled in place by
/// <see cref="TrafficGenerator.NextBatch"/>; spans are valid until the next refill.
/// </summary>
public sealed class GeneratedBatch
{
    private readonly GeneratedEvent[] _events;
    private readonly int[] _valueStarts;
    private readonly int[] _valueLengths;
    private byte[] _buffer;
    private int _length;
    private TrafficCatalog? _catalog;

    /// <param name="capacity">Most records per fill.</param>
    /// <param name="includeType">Whether each JSON object starts with a "type" field (for mixed files).</param>
    public GeneratedBatch(int capacity = 4096, bool includeType = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        IncludeType = includeType;
        _events = new GeneratedEvent[capacity];
        _valueStarts = new int[capacity];
        _valueLengths = new int[capacity];
        _buffer = new byte[Math.Max(capacity * 512, EventJsonWriter.MaxRecordBytes + 1)];
    }

    public int Capacity { get; }
    public bool IncludeType { get; }
    public int Count { get; private set; }

    /// <summary>All values of the batch, each followed by '\n'.</summary>
    public ReadOnlySpan<byte> JsonLines => _buffer.AsSpan(0, _length);

    /// <summary><see cref="JsonLines"/> as memory, for asynchronous writes.</summary>
    public ReadOnlyMemory<byte> JsonLinesMemory => _buffer.AsMemory(0, _length);

    public GeneratedEvent Event(int index) => _events[Check(index)];

    public EventKind Kind(int index) => _events[Check(index)].Kind;

    public string Topic(int index) => Topics.ForKind(Kind(index));

    /// <summary>The record key: the ad_id as UTF-8.</summary>
    public ReadOnlySpan<byte> Key(int index) => _catalog!.AdId(_events[Check(index)].AdIndex);

    /// <summary>The record value: one JSON object, without the trailing newline.</summary>
    public ReadOnlySpan<byte> Value(int index) => _buffer.AsSpan(_valueStarts[Check(index)], _valueLengths[index]);

    public long EventTimeMs(int index) => _events[Check(index)].EventTimeMs;

    internal void Reset(TrafficCatalog catalog)
    {
        _catalog = catalog;
        Count = 0;
        _length = 0;
    }

    internal void Append(in GeneratedEvent e, EventJsonWriter json)
    {
        if (_length + EventJsonWriter.MaxRecordBytes + 1 > _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var written = json.Write(e, IncludeType, _buffer.AsSpan(_length));
        _events[Count] = e;
        _valueStarts[Count] = _length;
        _valueLengths[Count] = written;
        _length += written;
        _buffer[_length++] = (byte)'\n';
        Count++;
    }

    private int Check(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return index;
    }
}

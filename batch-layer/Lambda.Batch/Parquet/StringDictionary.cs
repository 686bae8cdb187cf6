using System.Buffers;
using System.IO.Hashing;

namespace Lambda.Batch.Parquet;

/// <summary>
/// The distinct values of a column chunk, numbered in order of first appearance, kept PLAIN-encoded
/// (4-byte length, bytes) as the dictionary page wants them. Gives up (<see cref="IndexOf"/> returns -1)
/// past <see cref="MaxEntries"/> values or <see cref="MaxBytes"/> bytes: such a column is written PLAIN.
/// </summary>
internal sealed class StringDictionary
{
    /// <summary>Sized so that unique columns (event ids) give up after a few percent of a row group's rows.</summary>
    public const int MaxEntries = 8192;

    public const int MaxBytes = 1 << 20;

    private const int Slots = MaxEntries * 4;

    private readonly ArrayBufferWriter<byte> _plain = new(64 * 1024);
    private readonly List<int> _starts = new(MaxEntries);
    // Open addressing: entry number + 1 per slot (0 = empty), with the hash's high bits beside it.
    private readonly int[] _slotEntry = new int[Slots];
    private readonly uint[] _slotHash = new uint[Slots];
    private readonly List<int> _usedSlots = new(MaxEntries);

    public int Count => _starts.Count;

    /// <summary>The entries, PLAIN-encoded in number order.</summary>
    public ReadOnlySpan<byte> Plain => _plain.WrittenSpan;

    /// <summary>Entry <paramref name="index"/>'s bytes.</summary>
    public ReadOnlySpan<byte> Entry(int index) => PlainByteArray.Read(_plain.WrittenSpan, _starts[index]);

    /// <summary>The number of <paramref name="value"/>, added if new; -1 when the dictionary is full.</summary>
    public int IndexOf(ReadOnlySpan<byte> value)
    {
        var hash = XxHash3.HashToUInt64(value);
        var check = (uint)(hash >> 32);
        var slot = (int)(hash & (Slots - 1));
        while (true)
        {
            var entry = _slotEntry[slot] - 1;
            if (entry < 0)
            {
                break;
            }

            if (_slotHash[slot] == check && Entry(entry).SequenceEqual(value))
            {
                return entry;
            }

            slot = (slot + 1) & (Slots - 1);
        }

        if (_starts.Count == MaxEntries || _plain.WrittenCount + 4 + value.Length > MaxBytes)
        {
            return -1;
        }

        _starts.Add(_plain.WrittenCount);
        PlainByteArray.Write(_plain, value);
        _slotEntry[slot] = _starts.Count;
        _slotHash[slot] = check;
        _usedSlots.Add(slot);
        return _starts.Count - 1;
    }

    /// <summary>Empties the dictionary for the next column chunk (clears only the slots in use).</summary>
    public void Clear()
    {
        foreach (var slot in _usedSlots)
        {
            _slotEntry[slot] = 0;
        }

        _usedSlots.Clear();
        _starts.Clear();
        _plain.ResetWrittenCount();
    }
}

using System.Buffers;

namespace Lambda.Batch.Parquet;

/// <summary>
/// Parquet's RLE / bit-packing hybrid (definition levels and dictionary indices): runs of one value of at
/// least <see cref="MinRun"/> become an RLE run (a varint header and the value), everything between them
/// bit-packed in groups of 8 values, least significant bit first, at most 63 groups per header.
/// </summary>
internal static class RleHybrid
{
    /// <summary>Shorter repeats are cheaper bit-packed than as a run of their own.</summary>
    private const int MinRun = 16;

    private const int MaxGroupsPerRun = 63;

    /// <summary>Appends the encoding of <paramref name="values"/> (each below 2^<paramref name="bitWidth"/>) to <paramref name="output"/>.</summary>
    public static void Encode(ReadOnlySpan<int> values, int bitWidth, IBufferWriter<byte> output)
    {
        var i = 0;
        while (i < values.Length)
        {
            var run = RunLength(values, i);
            if (run >= MinRun)
            {
                WriteRun(values[i], run, bitWidth, output);
                i += run;
                continue;
            }

            // Literals up to the next long run, rounded up to whole groups of 8: the values taken from that
            // run to fill the last group still leave it at least MinRun - 7 long.
            var end = NextLongRun(values, i + run);
            var literals = Math.Min(((end - i) + 7) / 8 * 8, values.Length - i);
            WriteBitPacked(values.Slice(i, literals), bitWidth, output);
            i += literals;
        }
    }

    /// <summary>Appends one RLE run of <paramref name="count"/> times <paramref name="value"/>.</summary>
    public static void WriteRun(int value, int count, int bitWidth, IBufferWriter<byte> output)
    {
        var valueBytes = (bitWidth + 7) / 8;
        var span = output.GetSpan(10 + valueBytes);
        var at = SharedModel.IO.Varint.Write(span, (ulong)count << 1);
        for (var b = 0; b < valueBytes; b++)
        {
            span[at++] = (byte)(value >> (8 * b));
        }

        output.Advance(at);
    }

    private static int RunLength(ReadOnlySpan<int> values, int from)
    {
        var value = values[from];
        var end = from + 1;
        while (end < values.Length && values[end] == value)
        {
            end++;
        }

        return end - from;
    }

    private static int NextLongRun(ReadOnlySpan<int> values, int from)
    {
        while (from < values.Length)
        {
            var run = RunLength(values, from);
            if (run >= MinRun)
            {
                return from;
            }

            from += run;
        }

        return values.Length;
    }

    /// <summary>Bit-packs <paramref name="values"/>, the last group padded with zeros.</summary>
    private static void WriteBitPacked(ReadOnlySpan<int> values, int bitWidth, IBufferWriter<byte> output)
    {
        var groups = (values.Length + 7) / 8;
        for (var first = 0; first < groups; first += MaxGroupsPerRun)
        {
            var count = Math.Min(MaxGroupsPerRun, groups - first);
            var span = output.GetSpan(1 + (count * bitWidth));
            span[0] = (byte)((count << 1) | 1);
            var at = 1;
            ulong buffer = 0;
            var bits = 0;
            var end = (first + count) * 8;
            for (var v = first * 8; v < end; v++)
            {
                buffer |= (ulong)(uint)(v < values.Length ? values[v] : 0) << bits;
                bits += bitWidth;
                while (bits >= 8)
                {
                    span[at++] = (byte)buffer;
                    buffer >>= 8;
                    bits -= 8;
                }
            }

            output.Advance(at);
        }
    }
}

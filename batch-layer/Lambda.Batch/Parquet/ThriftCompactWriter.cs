using System.Buffers;
using System.Text;

namespace Lambda.Batch.Parquet;

/// <summary>
/// Writes Thrift's compact protocol, the encoding of Parquet's page headers and footer: each field is a
/// header byte holding the delta from the previous field id and the type, integers are zigzag varints,
/// a struct ends with a stop byte. Only what parquet.thrift's writer side needs.
/// </summary>
internal sealed class ThriftCompactWriter
{
    private const byte TypeI16 = 4;
    private const byte TypeI32 = 5;
    private const byte TypeI64 = 6;
    private const byte TypeBinary = 8;
    private const byte TypeList = 9;
    private const byte TypeStruct = 12;

    private readonly ArrayBufferWriter<byte> _output = new(256);
    private readonly Stack<short> _enclosing = new();
    private short _lastField;

    /// <summary>What has been written.</summary>
    public ReadOnlySpan<byte> Written => _output.WrittenSpan;

    /// <summary>Starts again with nothing written (the top level struct open).</summary>
    public void Reset()
    {
        _output.ResetWrittenCount();
        _enclosing.Clear();
        _lastField = 0;
    }

    public void I32(short field, int value)
    {
        FieldHeader(field, TypeI32);
        ZigZag(value);
    }

    public void I64(short field, long value)
    {
        FieldHeader(field, TypeI64);
        ZigZag(value);
    }

    public void I16(short field, short value)
    {
        FieldHeader(field, TypeI16);
        ZigZag(value);
    }

    public void Binary(short field, ReadOnlySpan<byte> value)
    {
        FieldHeader(field, TypeBinary);
        BinaryValue(value);
    }

    public void String(short field, string value) => Binary(field, Encoding.UTF8.GetBytes(value));

    /// <summary>Opens a struct field; close it with <see cref="EndStruct"/>.</summary>
    public void BeginStruct(short field)
    {
        FieldHeader(field, TypeStruct);
        BeginStructValue();
    }

    /// <summary>Opens a struct that is a list element (no field header).</summary>
    public void BeginStructValue()
    {
        _enclosing.Push(_lastField);
        _lastField = 0;
    }

    /// <summary>Closes the innermost struct.</summary>
    public void EndStruct()
    {
        Byte(0);
        _lastField = _enclosing.Pop();
    }

    /// <summary>Ends the top level struct.</summary>
    public void End() => Byte(0);

    public void ListOfI32(short field, ReadOnlySpan<int> values)
    {
        ListHeader(field, TypeI32, values.Length);
        foreach (var value in values)
        {
            ZigZag(value);
        }
    }

    public void ListOfStrings(short field, IReadOnlyList<string> values)
    {
        ListHeader(field, TypeBinary, values.Count);
        foreach (var value in values)
        {
            BinaryValue(Encoding.UTF8.GetBytes(value));
        }
    }

    /// <summary>A list of <paramref name="count"/> structs: each is written with <see cref="BeginStructValue"/> … <see cref="EndStruct"/>.</summary>
    public void ListOfStructs(short field, int count) => ListHeader(field, TypeStruct, count);

    private void ListHeader(short field, byte elementType, int count)
    {
        FieldHeader(field, TypeList);
        if (count < 15)
        {
            Byte((byte)((count << 4) | elementType));
        }
        else
        {
            Byte((byte)(0xF0 | elementType));
            Varint((uint)count);
        }
    }

    private void FieldHeader(short field, byte type)
    {
        var delta = field - _lastField;
        if (delta is > 0 and <= 15)
        {
            Byte((byte)((delta << 4) | type));
        }
        else
        {
            Byte(type);
            ZigZag(field);
        }

        _lastField = field;
    }

    private void BinaryValue(ReadOnlySpan<byte> value)
    {
        Varint((uint)value.Length);
        value.CopyTo(_output.GetSpan(value.Length));
        _output.Advance(value.Length);
    }

    private void ZigZag(long value) => Varint(SharedModel.IO.Varint.ZigZag(value));

    private void Varint(ulong value)
    {
        var span = _output.GetSpan(10);
        _output.Advance(SharedModel.IO.Varint.Write(span, value));
    }

    private void Byte(byte value)
    {
        _output.GetSpan(1)[0] = value;
        _output.Advance(1);
    }
}

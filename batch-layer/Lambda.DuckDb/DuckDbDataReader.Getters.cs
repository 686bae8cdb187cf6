using System.Text;
using Lambda.DuckDb.Native;

namespace Lambda.DuckDb;

/// <summary>Typed getters. Each throws <see cref="InvalidOperationException"/> on NULL (check <see cref="IsNull"/>)
/// and <see cref="InvalidCastException"/> for a column type it cannot convert without loss.</summary>
public sealed unsafe partial class DuckDbDataReader
{
    /// <summary>A BOOLEAN value.</summary>
    public bool GetBoolean(int ordinal)
    {
        var data = Value(ordinal, out var type);
        return type == DuckDbType.Boolean ? ((byte*)data)[_row] != 0 : throw CastError(ordinal, "bool");
    }

    /// <summary>Any integer column that fits in an int.</summary>
    public int GetInt32(int ordinal)
    {
        var data = Value(ordinal, out var type);
        return type == DuckDbType.Integer ? ((int*)data)[_row] : checked((int)ReadInteger(ordinal, data, type));
    }

    /// <summary>Any integer column that fits in a long (including HUGEINT sums).</summary>
    public long GetInt64(int ordinal)
    {
        var data = Value(ordinal, out var type);
        return type == DuckDbType.BigInt ? ((long*)data)[_row] : checked((long)ReadInteger(ordinal, data, type));
    }

    /// <summary>Any non-negative integer column that fits in a ulong.</summary>
    public ulong GetUInt64(int ordinal)
    {
        var data = Value(ordinal, out var type);
        return type == DuckDbType.UBigInt ? ((ulong*)data)[_row] : checked((ulong)ReadInteger(ordinal, data, type));
    }

    /// <summary>Any integer column, widened to 128 bits.</summary>
    public Int128 GetInt128(int ordinal)
    {
        var data = Value(ordinal, out var type);
        return ReadInteger(ordinal, data, type);
    }

    /// <summary>A DOUBLE or FLOAT; integers and DECIMAL are converted.</summary>
    public double GetDouble(int ordinal)
    {
        var data = Value(ordinal, out var type);
        return type switch
        {
            DuckDbType.Double => ((double*)data)[_row],
            DuckDbType.Float => ((float*)data)[_row],
            DuckDbType.Decimal => (double)ReadDecimal(ordinal, data),
            _ => (double)ReadInteger(ordinal, data, type),
        };
    }

    /// <summary>A DECIMAL, exactly; integers are converted.</summary>
    public decimal GetDecimal(int ordinal)
    {
        var data = Value(ordinal, out var type);
        return type == DuckDbType.Decimal ? ReadDecimal(ordinal, data) : (decimal)ReadInteger(ordinal, data, type);
    }

    /// <summary>A VARCHAR, decoded from UTF-8.</summary>
    public string GetString(int ordinal)
    {
        var data = Value(ordinal, out var type);
        return type == DuckDbType.Varchar ? Encoding.UTF8.GetString(ReadBytes(data)) : throw CastError(ordinal, "string");
    }

    /// <summary>A BLOB (or the UTF-8 of a VARCHAR), copied.</summary>
    public byte[] GetBlob(int ordinal) => GetBytes(ordinal).ToArray();

    /// <summary>A BLOB or VARCHAR's bytes without copying; valid until the next <see cref="Read"/> or dispose.</summary>
    public ReadOnlySpan<byte> GetBytes(int ordinal)
    {
        var data = Value(ordinal, out var type);
        return type is DuckDbType.Blob or DuckDbType.Varchar ? ReadBytes(data) : throw CastError(ordinal, "bytes");
    }

    /// <summary>A TIMESTAMP (any precision, or WITH TIME ZONE) or DATE, as UTC.</summary>
    public DateTime GetDateTime(int ordinal)
    {
        var data = Value(ordinal, out var type);
        var value = (long*)data;
        return type switch
        {
            DuckDbType.Timestamp or DuckDbType.TimestampTz => DuckDbTime.FromMicros(value[_row]),
            DuckDbType.TimestampMs => DuckDbTime.FromMicros(checked(value[_row] * 1000)),
            DuckDbType.TimestampS => DuckDbTime.FromMicros(checked(value[_row] * 1_000_000)),
            DuckDbType.TimestampNs => DuckDbTime.FromMicros(value[_row] / 1000),
            DuckDbType.Date => DuckDbTime.FromMicros(checked(((int*)data)[_row] * 86_400_000_000L)),
            _ => throw CastError(ordinal, "DateTime"),
        };
    }

    /// <summary>The value boxed as its natural .NET type, or null for NULL. For tests and tools, not hot paths.</summary>
    public object? GetValue(int ordinal)
    {
        if (IsNull(ordinal))
        {
            return null;
        }
        return _types[ordinal] switch
        {
            DuckDbType.Boolean => GetBoolean(ordinal),
            DuckDbType.TinyInt or DuckDbType.SmallInt or DuckDbType.Integer => GetInt32(ordinal),
            DuckDbType.UTinyInt or DuckDbType.USmallInt or DuckDbType.UInteger or DuckDbType.BigInt => GetInt64(ordinal),
            DuckDbType.UBigInt => GetUInt64(ordinal),
            DuckDbType.HugeInt or DuckDbType.UHugeInt => GetInt128(ordinal),
            DuckDbType.Float or DuckDbType.Double => GetDouble(ordinal),
            DuckDbType.Decimal => GetDecimal(ordinal),
            DuckDbType.Varchar => GetString(ordinal),
            DuckDbType.Blob => GetBlob(ordinal),
            DuckDbType.Timestamp or DuckDbType.TimestampTz or DuckDbType.TimestampS or DuckDbType.TimestampMs
                or DuckDbType.TimestampNs or DuckDbType.Date => GetDateTime(ordinal),
            _ => throw CastError(ordinal, "object"),
        };
    }

    private void* Value(int ordinal, out DuckDbType type)
    {
        if (IsNull(ordinal))
        {
            throw new InvalidOperationException($"column {ordinal} ({_names[ordinal]}) is NULL in this row");
        }
        type = _types[ordinal];
        return (void*)_data[ordinal];
    }

    private Int128 ReadInteger(int ordinal, void* data, DuckDbType type) => type switch
    {
        DuckDbType.TinyInt => ((sbyte*)data)[_row],
        DuckDbType.SmallInt => ((short*)data)[_row],
        DuckDbType.Integer => ((int*)data)[_row],
        DuckDbType.BigInt => ((long*)data)[_row],
        DuckDbType.UTinyInt => ((byte*)data)[_row],
        DuckDbType.USmallInt => ((ushort*)data)[_row],
        DuckDbType.UInteger => ((uint*)data)[_row],
        DuckDbType.UBigInt => ((ulong*)data)[_row],
        // duckdb_hugeint is { uint64 lower; int64 upper }, the same little-endian layout as Int128.
        DuckDbType.HugeInt => ((Int128*)data)[_row],
        DuckDbType.UHugeInt => checked((Int128)((UInt128*)data)[_row]),
        _ => throw CastError(ordinal, "integer"),
    };

    private decimal ReadDecimal(int ordinal, void* data)
    {
        Int128 unscaled = _decimalStorage[ordinal] switch
        {
            DuckDbType.SmallInt => ((short*)data)[_row],
            DuckDbType.Integer => ((int*)data)[_row],
            DuckDbType.BigInt => ((long*)data)[_row],
            DuckDbType.HugeInt => ((Int128*)data)[_row],
            _ => throw CastError(ordinal, "decimal"),
        };
        var magnitude = (UInt128)Int128.Abs(unscaled);
        if (magnitude >> 96 != 0)
        {
            throw new OverflowException($"column {ordinal} ({_names[ordinal]}) does not fit in a .NET decimal");
        }
        return new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), (int)(uint)(magnitude >> 64),
            Int128.IsNegative(unscaled), _decimalScales[ordinal]);
    }

    private ReadOnlySpan<byte> ReadBytes(void* data)
    {
        var value = &((DuckDbString*)data)[_row];
        var length = (int)value->Length;
        var bytes = length <= DuckDbString.InlineLength ? &value->Inlined : value->Pointer;
        return new ReadOnlySpan<byte>(bytes, length);
    }

    private InvalidCastException CastError(int ordinal, string target) =>
        new($"column {ordinal} ({_names[ordinal]}) is {_types[ordinal]}, not readable as {target}");
}

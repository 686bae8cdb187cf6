namespace Lambda.Batch.Parquet;

/// <summary>
/// The numbers of parquet-format's Thrift enums that this writer uses (parquet.thrift): physical types,
/// converted types, repetition, encodings, codecs and page types.
/// </summary>
internal static class ParquetFormat
{
    public static ReadOnlySpan<byte> Magic => "PAR1"u8;

    public const int TypeInt32 = 1;
    public const int TypeInt64 = 2;
    public const int TypeDouble = 5;
    public const int TypeByteArray = 6;

    public const int ConvertedUtf8 = 0;
    public const int ConvertedUInt64 = 14;
    public const int ConvertedInt32 = 17;
    public const int ConvertedInt64 = 18;

    public const int Required = 0;
    public const int Optional = 1;

    public const int EncodingPlain = 0;
    public const int EncodingPlainDictionary = 2;
    public const int EncodingRle = 3;

    public const int CodecZstd = 6;

    public const int PageData = 0;
    public const int PageDictionary = 2;
}

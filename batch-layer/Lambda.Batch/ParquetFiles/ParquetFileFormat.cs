using System.IO.Compression;
using Parquet;

namespace Lambda.Batch.ParquetFiles;

/// <summary>
/// How a file is written: codec, zstd level and rows per row group. Parquet.Net takes the zstd level as a
/// <see cref="CompressionLevel"/> and maps Fastest to 1, Optimal to 3 and SmallestSize to 19 (its default,
/// far too slow for the archive), so those three levels are the ones a file can have.
/// </summary>
internal sealed record ParquetFileFormat(ParquetCompression Compression, int ZstdLevel, int RowGroupRows)
{
    /// <summary>The zstd levels Parquet.Net can write.</summary>
    public static readonly IReadOnlyList<int> ZstdLevels = [1, 3, 19];

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="option"/> when the level cannot be written.</summary>
    public static void ValidateZstdLevel(int level, string option)
    {
        if (!ZstdLevels.Contains(level))
        {
            throw new ArgumentException($"{option} must be 1, 3 or 19, the zstd levels Parquet.Net writes (was {level})", option);
        }
    }

    /// <summary>Parquet.Net's options for these settings, with dictionary hints on <paramref name="columns"/>' strings.</summary>
    public ParquetOptions ToOptions(IEnumerable<ParquetColumn> columns)
    {
        var options = new ParquetOptions
        {
            CompressionMethod = Compression == ParquetCompression.Snappy ? CompressionMethod.Snappy : CompressionMethod.Zstd,
            CompressionLevel = ZstdLevel switch
            {
                1 => CompressionLevel.Fastest,
                3 => CompressionLevel.Optimal,
                19 => CompressionLevel.SmallestSize,
                _ => throw new ArgumentException($"zstd level {ZstdLevel} cannot be written: 1, 3 or 19"),
            },
        };
        foreach (var column in columns.Where(c => c.Type == ParquetColumnType.Utf8))
        {
            // Parquet.Net dictionary-encodes a string column only when hinted, and then only while a sample
            // of the chunk repeats enough (DictionaryEncodingThreshold): unique ids stay PLAIN.
            options.ColumnEncodingHints[column.Name] = EncodingHint.Dictionary;
        }

        return options;
    }
}

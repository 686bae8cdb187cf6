using Lambda.Batch.Master;
using Lambda.Batch.ParquetFiles;

namespace Lambda.Batch.Archive;

/// <summary>
/// The ordinals of <see cref="MasterDataset.Columns"/> and their Parquet columns, for writing rows of the
/// master schema. Checked against the schema list when first used, so the two cannot drift apart.
/// </summary>
internal static class MasterColumns
{
    public const int EventId = 0;
    public const int AdId = 1;
    public const int CampaignId = 2;
    public const int AdvertiserId = 3;
    public const int UserId = 4;
    public const int UserHash = 5;
    public const int Ip = 6;
    public const int IpHi = 7;
    public const int IpLo = 8;
    public const int UserAgent = 9;
    public const int Placement = 10;
    public const int Score = 11;
    public const int CostMicros = 12;
    public const int EventTimeMs = 13;
    public const int LogPartition = 14;
    public const int LogOffset = 15;
    public const int LogTimeMs = 16;

    private static readonly string[] Names =
    [
        "event_id", "ad_id", "campaign_id", "advertiser_id", "user_id", "user_hash", "ip", "ip_hi", "ip_lo",
        "user_agent", "placement", "score", "cost_micros", "event_time_ms", "log_partition", "log_offset", "log_time_ms",
    ];

    /// <summary>The columns in schema order.</summary>
    public static ParquetColumn[] Columns { get; } = BuildColumns();

    private static ParquetColumn[] BuildColumns()
    {
        var columns = MasterDataset.Columns;
        if (columns.Count != Names.Length || !columns.Select(c => c.Name).SequenceEqual(Names))
        {
            throw new InvalidOperationException("MasterColumns does not match MasterDataset.Columns");
        }

        return [.. columns.Select(c => new ParquetColumn(c.Name, c.Type switch
        {
            "VARCHAR" => ParquetColumnType.Utf8,
            "UBIGINT" => ParquetColumnType.UInt64,
            "BIGINT" => ParquetColumnType.Int64,
            "INTEGER" => ParquetColumnType.Int32,
            "DOUBLE" => ParquetColumnType.Double,
            _ => throw new InvalidOperationException($"no Parquet column type for {c.Type}"),
        }))];
    }
}

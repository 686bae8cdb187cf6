namespace Lambda.Batch.Parquet;

/// <summary>A written row group: its column chunks and rows.</summary>
internal sealed record RowGroupMeta(IReadOnlyList<ColumnChunkMeta> Columns, int Rows);

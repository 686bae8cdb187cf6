using System.Collections.Concurrent;

namespace Lambda.Batch.Parquet;

/// <summary>
/// Writers of one column list, lent to the threads of a run and returned for the next file: a writer's
/// buffers grow to a row group's size once, instead of once per file (fresh pages, copies on growth).
/// </summary>
internal sealed class ParquetWriterPool(IReadOnlyList<ParquetColumn> columns, int zstdLevel, int rowGroupRows) : IDisposable
{
    private readonly ConcurrentBag<ParquetFileWriter> _idle = [];

    public ParquetFileWriter Rent() => _idle.TryTake(out var writer) ? writer : new ParquetFileWriter(columns, zstdLevel, rowGroupRows);

    /// <summary>Takes back a writer whose file is complete or abandoned.</summary>
    public void Return(ParquetFileWriter writer) => _idle.Add(writer);

    public void Dispose()
    {
        while (_idle.TryTake(out var writer))
        {
            writer.Dispose();
        }
    }
}

using System.Collections.Concurrent;

namespace Lambda.Batch.ParquetFiles;

/// <summary>
/// Writers of one column list, lent to the threads of a run and returned for the next file: a writer's
/// column buffers grow to a row group's size once, instead of once per file.
/// </summary>
internal sealed class ParquetWriterPool(IReadOnlyList<ParquetColumn> columns, ParquetFileFormat format)
{
    private readonly ConcurrentBag<ParquetFileWriter> _idle = [];

    public ParquetFileWriter Rent() => _idle.TryTake(out var writer) ? writer : new ParquetFileWriter(columns, format);

    /// <summary>Takes back a writer whose file is complete or abandoned.</summary>
    public void Return(ParquetFileWriter writer) => _idle.Add(writer);
}

using Lambda.SharedModel.Ingestion;
using Lambda.SharedModel.Log;

namespace Lambda.Serving.Http;

/// <summary>
/// The host's way into the event log: one producer, used by one request at a time (an
/// <see cref="EventIngestor"/> is not thread-safe). Each request gets its own ingestor and summary,
/// and returns once its records are durable.
/// </summary>
public sealed class EventSink : IAsyncDisposable
{
    private readonly ILogProducer _producer;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public EventSink(IEventLog log, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(log);
        _producer = log.CreateProducer();
        _time = time;
    }

    /// <summary>Validates and appends <paramref name="records"/>; bad ones go to dead-letters with <paramref name="source"/> and their 1-based position.</summary>
    public async Task<IngestSummary> IngestAsync(IReadOnlyList<ReadOnlyMemory<byte>> records, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var ingestor = new EventIngestor(_producer, _time);
            for (var i = 0; i < records.Count; i++)
            {
                ingestor.Ingest(records[i].Span, source, i + 1);
            }
            await ingestor.FlushAsync(cancellationToken).ConfigureAwait(false);
            return ingestor.Summary;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _producer.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }
}

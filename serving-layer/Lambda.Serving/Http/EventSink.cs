using Lambda.SharedModel.Ingestion;
using Lambda.SharedModel.Log;

namespace Lambda.Serving.Http;

/// <summary>
/// The host's way into the event log: one producer for every request (a Kafka producer is too costly
/// to make per request), used by one request at a time. A request's records are first checked
/// outside that lock, so a junk body is refused without holding up anyone; accepted bodies are
/// appended in chunks of <see cref="ChunkRecords"/>, each flushed before the lock passes on, so a
/// small request waits for at most one chunk of a large one, and a failed flush (which discards what
/// is pending) never drops another request's acknowledged records. A request returns once all its
/// records are durable; its records stay in order, though other requests' chunks may fall between.
/// </summary>
public sealed class EventSink : IAsyncDisposable
{
    /// <summary>Records appended and flushed per turn of the lock (a 4 MiB body holds ~20,000 events).</summary>
    public const int ChunkRecords = 1_000;

    private readonly ILogProducer _producer;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _waiting;

    public EventSink(IEventLog log, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(log);
        _producer = log.CreateProducer();
        _time = time;
    }

    /// <summary>Requests waiting for their turn to append (for tests and diagnostics).</summary>
    internal int Waiting => Volatile.Read(ref _waiting);

    /// <summary>
    /// Checks every record of <paramref name="body"/>; if it is a valid body within the bounds of
    /// <paramref name="options"/>, appends them (bad ones to dead-letters with <paramref name="source"/>
    /// and their 1-based position), each carrying <paramref name="requestId"/>, and returns the summary. Otherwise appends nothing and returns null:
    /// <see cref="IngestOutcome.BodyError"/> or <see cref="IngestOutcome.Refusal"/> says why.
    /// </summary>
    public async Task<IngestOutcome> IngestAsync(ReadOnlyMemory<byte> body, string source, string requestId, ServingOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ingestor = new EventIngestor(_producer, _time, requestId: requestId);
        var check = new IngestCheck();
        var records = new EventBody(body);
        while (records.MoveNext())
        {
            if (check.NeedsChecking(options))
            {
                check.Count(ingestor.Check(records.Current.Bytes.Span), check.Records + 1, records.Current.Line);
            }
            else
            {
                check.Skip();
            }
        }
        if (records.Error is { } error)
        {
            return new IngestOutcome(check, null, error, null);
        }
        if (check.Refusal(options) is { } refusal)
        {
            return new IngestOutcome(check, null, null, refusal);
        }

        records = new EventBody(body);
        long position = 0;
        var more = true;
        while (more)
        {
            Interlocked.Increment(ref _waiting);
            try
            {
                await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
            try
            {
                var end = position + ChunkRecords;
                while (position < end && (more = records.MoveNext()))
                {
                    ingestor.Ingest(records.Current.Bytes.Span, source, ++position);
                }
                await ingestor.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }
        return new IngestOutcome(check, ingestor.Summary, null, null);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _producer.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }
}

/// <summary>
/// What <see cref="EventSink.IngestAsync"/> did: <see cref="Appended"/> when the records went to the
/// log; otherwise nothing was appended, because the body is not valid (<see cref="BodyError"/>) or
/// carries too many invalid records (<see cref="Refusal"/>, with <see cref="Check"/> for the summary).
/// </summary>
public sealed record IngestOutcome(IngestCheck Check, IngestSummary? Appended, string? BodyError, string? Refusal);

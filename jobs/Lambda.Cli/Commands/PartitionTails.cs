using System.Globalization;
using System.Text;
using Lambda.SharedModel.Ingestion;
using Lambda.SharedModel.Log;

namespace Lambda.Cli.Commands;

/// <summary>
/// Reads partitions of a topic in turn for `lambda tail`, each from its own offset, printing each record
/// as <c>partition:offset time key value</c>, or <c>partition:offset time request-id=ID key value</c> when it
/// carries the id of the request that brought it (<see cref="RequestId"/>). Without --follow it prints every
/// partition's records in partition order up to the limit; with it, it keeps visiting every partition for new records.
/// </summary>
internal sealed class PartitionTails(IEventLog log, TextWriter output, TextWriter error)
{
    private static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(250);

    public async Task RunAsync(IReadOnlyList<TopicPartition> partitions, long from, int limit, bool follow, CancellationToken cancellationToken)
    {
        var offsets = new long[partitions.Count];
        for (var i = 0; i < partitions.Count; i++)
        {
            offsets[i] = Math.Max(from, (await log.GetOffsetsAsync(partitions[i], cancellationToken).ConfigureAwait(false)).Start);
        }

        using var reader = log.CreateReader();
        var batch = new RecordBatch(256, 64 * 1024);
        var remaining = limit;
        var drained = new bool[partitions.Count];
        while (remaining > 0 && !cancellationToken.IsCancellationRequested)
        {
            var printed = 0;
            for (var i = 0; i < partitions.Count && remaining > 0; i++)
            {
                if (drained[i] && !follow)
                {
                    continue;
                }

                var read = await ReadAsync(reader, partitions[i], offsets[i], batch, Math.Min(remaining, 1000), cancellationToken).ConfigureAwait(false);
                offsets[i] = read.Next;
                drained[i] = read.Records == 0;
                printed += read.Records;
                remaining -= read.Records;
            }

            if (printed == 0)
            {
                if (!follow)
                {
                    return;
                }

                await Task.Delay(IdleWait, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Prints the next records of one partition; returns how many and the offset after them.</summary>
    private async Task<(int Records, long Next)> ReadAsync(ILogReader reader, TopicPartition tp, long offset, RecordBatch batch, int most,
        CancellationToken cancellationToken)
    {
        try
        {
            await reader.ReadAsync(tp, offset, batch, most, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentOutOfRangeException)
        {
            // The owner's log retention deleted records before this tail reached them: go on from the new start.
            var start = (await log.GetOffsetsAsync(tp, cancellationToken).ConfigureAwait(false)).Start;
            if (start <= offset)
            {
                throw;
            }

            await error.WriteLineAsync($"{tp.Partition}:{offset}..{start - 1} deleted by the log's retention; going on at {start}").ConfigureAwait(false);
            return (0, start);
        }

        for (var i = 0; i < batch.Count; i++)
        {
            var record = batch[i];
            var time = DateTimeOffset.FromUnixTimeMilliseconds(record.TimestampMs).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
            var requestId = RequestId.Of(record.Headers) is { } id ? $"request-id={id} " : "";
            await output.WriteLineAsync($"{tp.Partition}:{record.Offset} {time} {requestId}{Encoding.UTF8.GetString(record.Key)} {Encoding.UTF8.GetString(record.Value)}")
                .ConfigureAwait(false);
        }

        return (batch.Count, batch.Count == 0 ? offset : batch.NextOffset);
    }
}

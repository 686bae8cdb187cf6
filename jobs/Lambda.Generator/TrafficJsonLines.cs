namespace Lambda.Generator;

/// <summary>
/// Writes generated traffic as a mixed JSON Lines file: one record per line, each object starting
/// with "type" ("served", "view" or "click") so that <c>lambda ingest</c> can route it to its topic.
/// </summary>
public static class TrafficJsonLines
{
    /// <summary>Writes up to <paramref name="maxRecords"/> records (fewer if a bounded run ends first); returns how many.</summary>
    public static async Task<long> WriteAsync(TrafficGenerator generator, Stream stream, long maxRecords,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(stream);
        var batch = new GeneratedBatch(4096, includeType: true);
        long written = 0;
        while (written < maxRecords)
        {
            var n = generator.NextBatch(batch, (int)Math.Min(maxRecords - written, batch.Capacity));
            if (n == 0)
            {
                break;
            }

            await stream.WriteAsync(batch.JsonLinesMemory, cancellationToken).ConfigureAwait(false);
            written += n;
        }

        return written;
    }

    /// <summary>Writes to a new file at <paramref name="path"/>; see <see cref="WriteAsync(TrafficGenerator, Stream, long, CancellationToken)"/>.</summary>
    public static async Task<long> WriteAsync(TrafficGenerator generator, string path, long maxRecords,
        CancellationToken cancellationToken = default)
    {
        var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await using (file.ConfigureAwait(false))
        {
            return await WriteAsync(generator, file, maxRecords, cancellationToken).ConfigureAwait(false);
        }
    }
}

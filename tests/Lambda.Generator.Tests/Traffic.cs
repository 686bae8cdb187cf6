using System.Text.Json;
using Lambda.Generator;

namespace Lambda.Generator.Tests;

/// <summary>A generated record with its JSON line (type field included).</summary>
internal sealed record Emitted(GeneratedEvent Event, byte[] Json)
{
    public JsonElement Parse() => JsonSerializer.Deserialize<JsonElement>(Json);
}

internal static class Traffic
{
    /// <summary>Runs the generator through <see cref="TrafficGenerator.NextBatch"/> and keeps every record.</summary>
    public static List<Emitted> Generate(TrafficGenerator generator, long maxRecords, int batchSize = 1000)
    {
        var batch = new GeneratedBatch(batchSize, includeType: true);
        var all = new List<Emitted>();
        while (all.Count < maxRecords && generator.NextBatch(batch, (int)Math.Min(batchSize, maxRecords - all.Count)) > 0)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                all.Add(new Emitted(batch.Event(i), batch.Value(i).ToArray()));
            }
        }

        return all;
    }

    public static List<Emitted> Generate(GeneratorOptions options, long maxRecords, int batchSize = 1000) =>
        Generate(new TrafficGenerator(options), maxRecords, batchSize);

    /// <summary>The JSON Lines bytes of the first <paramref name="maxRecords"/> records, batched by <paramref name="batchSize"/>.</summary>
    public static byte[] Bytes(GeneratorOptions options, long maxRecords, int batchSize)
    {
        var generator = new TrafficGenerator(options);
        var batch = new GeneratedBatch(batchSize, includeType: true);
        using var output = new MemoryStream();
        long total = 0;
        while (total < maxRecords && generator.NextBatch(batch, (int)Math.Min(batchSize, maxRecords - total)) > 0)
        {
            output.Write(batch.JsonLines);
            total += batch.Count;
        }

        return output.ToArray();
    }
}

using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace Lambda.Cli.Hosting;

/// <summary>
/// Samples the runtime's allocation ticks (one event per ~100 KB allocated) and sums the large-object-heap
/// ones by type, so the stats line can say what fills the LOH (arrays of 85,000 bytes or more, collected
/// only with gen2). A sampling estimate: each tick stands for the ~100 KB allocated since the last.
/// </summary>
internal sealed class LargeAllocationListener : EventListener
{
    private const int AllocationTickEventId = 10;
    private const long GcKeyword = 0x1;
    private readonly ConcurrentDictionary<string, long> _bytesByType = new(StringComparer.Ordinal);

    /// <summary>The LOH bytes by type since the last call, largest first ("type:MB" pairs), and resets them.</summary>
    public string TakeSummary(int top)
    {
        var taken = new List<(string Type, long Bytes)>();
        foreach (var type in _bytesByType.Keys)
        {
            if (_bytesByType.TryRemove(type, out var bytes))
            {
                taken.Add((type, bytes));
            }
        }

        return taken.Count == 0
            ? "-"
            : string.Join(',', taken.OrderByDescending(t => t.Bytes).Take(top)
                .Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Type}:{t.Bytes / 1048576.0:F0}")));
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventId != AllocationTickEventId || eventData.Payload is not { } payload || eventData.PayloadNames is not { } names)
        {
            return;
        }

        var kind = names.IndexOf("AllocationKind");
        var amount = names.IndexOf("AllocationAmount64");
        var type = names.IndexOf("TypeName");
        // AllocationKind 1 is the large object heap (0 small, 2 pinned).
        if (kind < 0 || amount < 0 || type < 0 || Convert.ToInt32(payload[kind], CultureInfo.InvariantCulture) != 1)
        {
            return;
        }

        var name = (payload[type] as string ?? "?").Replace(' ', '_');
        _bytesByType.AddOrUpdate(name, Convert.ToInt64(payload[amount], CultureInfo.InvariantCulture), (_, sum) => sum + Convert.ToInt64(payload[amount], CultureInfo.InvariantCulture));
    }
}

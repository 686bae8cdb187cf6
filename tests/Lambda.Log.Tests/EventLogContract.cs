using Lambda.SharedModel.Log;

namespace Lambda.Log.Tests;

/// <summary>
/// The event log contract, run against every implementation. A derived class supplies a fresh,
/// isolated log; tests name their topics through <see cref="Topic"/> so that implementations
/// sharing a server (Kafka) never see another test's data. Tests use [SkippableFact] so an
/// implementation whose server is not configured reports a skip with the reason.
/// </summary>
public abstract class EventLogContract : IAsyncLifetime
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    protected IEventLog Log { get; private set; } = null!;

    /// <summary>Creates a fresh log; may call Skip.If(...) when its server is not configured.</summary>
    protected abstract Task<IEventLog> CreateLogAsync();

    /// <summary>A topic name unique to this test instance.</summary>
    protected string Topic(string name) => $"{name}-{_suffix}";

    public async Task InitializeAsync() => Log = await CreateLogAsync();

    public async Task DisposeAsync()
    {
        if (Log is not null)
        {
            await Log.DisposeAsync();
        }
    }
}

using Lambda.Log.Embedded;
using Lambda.SharedModel.Log;

namespace Lambda.Log.Tests.Embedded;

/// <summary>The log contract against the embedded log in a temp directory.</summary>
public sealed class EmbeddedLogContractTests : EventLogContract, IDisposable
{
    private readonly TempDirectory _directory = new();

    protected override Task<IEventLog> CreateLogAsync() =>
        Task.FromResult<IEventLog>(EmbeddedEventLog.Open(new EmbeddedLogOptions { RootPath = _directory.Path, Fsync = FsyncPolicy.Never }));

    public void Dispose() => _directory.Dispose();
}

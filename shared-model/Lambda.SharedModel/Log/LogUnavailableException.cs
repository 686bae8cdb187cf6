namespace Lambda.SharedModel.Log;

/// <summary>
/// The event log could not acknowledge or answer now (a remote log's brokers unreachable, a delivery
/// that timed out), as opposed to a request that can never succeed. Nothing the failed call was asked
/// to write counts as acknowledged, so the caller may retry it later. An <see cref="IOException"/>, so
/// that every place that already treats a log that cannot write (a full disk) as temporary does the
/// same with it: `POST /v1/events` answers 503 with Retry-After, jobs retry, the CLI prints one line.
/// </summary>
public abstract class LogUnavailableException : IOException
{
    protected LogUnavailableException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

namespace Lambda.Log.Embedded.Storage;

/// <summary>
/// Runs an action every interval on a thread of its own. Retention's pass blocks in the kernel (unlinking
/// gigabytes of segments), so it must not hold a thread-pool thread: measured in the 200,000 events/s soak,
/// a pass on a pool timer stalled every API request of the process for ≈ 1.3 s each time it ran.
/// </summary>
internal sealed class BackgroundLoop : IDisposable
{
    private readonly Action _action;
    private readonly TimeSpan _interval;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;

    public BackgroundLoop(string name, TimeSpan interval, Action action)
    {
        _action = action;
        _interval = interval;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Stops the loop and waits for an action in progress to end.</summary>
    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _stop.Dispose();
    }

    private void Run()
    {
        while (!_stop.Wait(_interval))
        {
            _action();
        }
    }
}

namespace Lambda.Cli;

/// <summary>
/// The event ids of the host's own log lines (7000-7299), all here so that no two lines share one:
/// the chaos tests wait for "Lambda.Demo[7000]", the soak bench reads the stats line (7100).
/// </summary>
internal static class CliLogEvents
{
    public const int DemoTrafficAppending = 7000;
    public const int DemoTrafficFailed = 7001;
    public const int ProcessStats = 7100;
    public const int LogRetention = 7200;
    public const int Stopping = 7201;
    public const int StoppedCleanly = 7202;
}

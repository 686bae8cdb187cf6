namespace Lambda.Cli.CommandLine;

/// <summary>The exit codes of the lambda command.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The command ran and failed (an I/O error, an unreachable server, …).</summary>
    public const int Failed = 1;
    /// <summary>The command line was wrong: unknown command, bad option, bad value.</summary>
    public const int Usage = 2;
}

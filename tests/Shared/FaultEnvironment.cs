namespace Lambda.Tests.Shared;

/// <summary>
/// What a fault test does when this machine cannot stage its fault (no root to mount a small disk,
/// no PostgreSQL binaries): skip with the reason here, fail when CI is set (CI provides them).
/// </summary>
internal static class FaultEnvironment
{
    public static bool OnCi => Environment.GetEnvironmentVariable("CI") is { Length: > 0 } ci && ci != "false" && ci != "0";

    public static void Require(string? unavailable)
    {
        if (unavailable is null)
        {
            return;
        }

        if (OnCi)
        {
            throw new InvalidOperationException($"{unavailable} (CI is set, so this is a failure, not a skip)");
        }

        Skip.If(true, unavailable);
    }

    /// <summary>Runs a command to completion; returns its exit code and what it wrote.</summary>
    public static (int ExitCode, string Output) Run(string file, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = System.Diagnostics.Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout.Result + stderr);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}

using System.Diagnostics;

namespace Lambda.Speed.Tests;

/// <summary>Runs the `lambda` command line (built beside the tests) as a child process.</summary>
internal static class LambdaProcess
{
    /// <summary>lambda.dll of the same build configuration as this test assembly.</summary>
    public static string DllPath
    {
        get
        {
            // tests/<project>/bin/<configuration>/<tfm>/ → jobs/Lambda.Cli/bin/<configuration>/<tfm>/lambda.dll
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var tfm = output.Name;
            var configuration = output.Parent!.Name;
            var root = output.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
            var path = Path.Combine(root, "jobs", "Lambda.Cli", "bin", configuration, tfm, "lambda.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"the lambda command is not built at {path}");
        }
    }

    public static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(DllPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["LAMBDA_LOG_FORMAT"] = "text";
        var process = new KilledOnDispose { StartInfo = info };
        process.Start();
        // Drain the pipes so a chatty child never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// Stops the child as a service manager does (SIGTERM: it works from any shell, where a background
    /// shell's children ignore SIGINT) and waits for it; one that does not stop in time is killed.
    /// </summary>
    public static async Task StopAsync(Process process, TimeSpan timeout)
    {
        _ = Kill(process.Id, 15);
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"lambda did not stop within {timeout} after SIGTERM; killed");
        }
    }

    /// <summary>A child that a failing or timed-out test cannot leave behind: disposing kills it if it still runs.</summary>
    private sealed class KilledOnDispose : Process
    {
        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                try
                {
                    if (!HasExited)
                    {
                        Kill(entireProcessTree: true);
                    }
                }
                catch (InvalidOperationException)
                {
                    // Never started, or already reaped.
                }
            }

            base.Dispose(disposing);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}

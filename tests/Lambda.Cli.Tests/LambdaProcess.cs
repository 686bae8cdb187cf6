using System.Collections.Concurrent;
using System.Diagnostics;

namespace Lambda.Cli.Tests;

/// <summary>
/// The `lambda` command as a child process (the build output of jobs/Lambda.Cli, run with dotnet),
/// its stdout lines collected as they come. Disposing kills it if it still runs.
/// </summary>
public sealed class LambdaProcess : IDisposable
{
    private readonly Process _process;
    private readonly Lock _transcriptLock = new();
    private StreamWriter? _transcript;

    public LambdaProcess(params string[] args)
        : this(new Dictionary<string, string>(), args)
    {
    }

    /// <summary>Starts `lambda` with <paramref name="args"/> and extra environment variables.</summary>
    public LambdaProcess(IReadOnlyDictionary<string, string> environment, params string[] args)
        : this(environment, args, ctrlC: false)
    {
    }

    /// <summary>Starts `lambda` with its standard input open to the test (<see cref="Input"/>), e.g. `lambda ingest -`.</summary>
    public static LambdaProcess WithInput(params string[] args) => new(new Dictionary<string, string>(), args, ctrlC: false, stdin: true);

    /// <param name="ctrlC">
    /// Start the child with SIGINT at its default, so <see cref="InterruptAsync"/> (Ctrl-C) reaches it even
    /// when the tests run from a background shell (`nohup … &amp;`), whose children inherit SIGINT ignored.
    /// </param>
    private LambdaProcess(IReadOnlyDictionary<string, string> environment, string[] args, bool ctrlC, bool stdin = false)
    {
        // coreutils env resets the inherited disposition before it runs dotnet.
        var start = new ProcessStartInfo(ctrlC ? "env" : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin,
            UseShellExecute = false,
        };
        if (ctrlC)
        {
            start.ArgumentList.Add("--default-signal=INT");
            start.ArgumentList.Add("dotnet");
        }

        start.ArgumentList.Add(CliDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["LAMBDA_LOG_FORMAT"] = "text";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        _process = Process.Start(start)!;
        _transcript = Transcript(args);
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { Output.Enqueue(e.Data); Write("out", e.Data); } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Errors.Enqueue(e.Data); Write("err", e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Starts `lambda` so that Ctrl-C (<see cref="InterruptAsync"/>) reaches it from any shell.</summary>
    public static LambdaProcess StartForCtrlC(params string[] args) => new(new Dictionary<string, string>(), args, ctrlC: true);

    public ConcurrentQueue<string> Output { get; } = new();

    /// <summary>The child's standard input, when started by <see cref="WithInput"/>; dispose it to send end of file.</summary>
    public StreamWriter Input => _process.StandardInput;

    public ConcurrentQueue<string> Errors { get; } = new();

    public int Id => _process.Id;

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL: no flush, no checkpoint, no goodbye. Waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>The first stdout line starting with <paramref name="prefix"/>, waiting up to <paramref name="seconds"/>.</summary>
    public async Task<string> WaitForLineAsync(string prefix, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (Output.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) is { } line)
            {
                return line;
            }

            if (_process.HasExited)
            {
                Assert.Fail($"lambda exited ({_process.ExitCode}) before printing '{prefix}'; stderr:\n{string.Join('\n', Errors.TakeLast(30))}");
            }

            Assert.True(DateTime.UtcNow < deadline, $"no '{prefix}' line within {seconds} s; stdout:\n{string.Join('\n', Output)}\nstderr:\n{string.Join('\n', Errors.TakeLast(30))}");
            await Task.Delay(200);
        }
    }

    /// <summary>
    /// Sends SIGTERM, as systemd, Docker and Kubernetes stop a service, and waits for the exit code. A child
    /// that does not stop in time is killed (so no test leaves one running) and the wait fails.
    /// </summary>
    public Task<int> StopAsync(int seconds) => SignalAsync("-TERM", seconds);

    /// <summary>Sends SIGINT (what Ctrl-C sends) and waits for the exit code: start the child with ctrlC.</summary>
    public Task<int> InterruptAsync(int seconds) => SignalAsync("-INT", seconds);

    private async Task<int> SignalAsync(string signal, int seconds)
    {
        using (var kill = Process.Start("kill", [signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"lambda {signal[1..]} did not stop within {seconds} s; killed");
        }

        return _process.ExitCode;
    }

    /// <summary>Waits for the process to end by itself; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(int seconds)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
        lock (_transcriptLock)
        {
            _transcript?.Dispose();
            _transcript = null;
        }
    }

    // LAMBDA_TEST_TRANSCRIPTS=<dir>: every child's stdout and stderr, timestamped, in <dir>/<command>-<pid>.log,
    // for reading what a child did when a multi-process test fails.
    private StreamWriter? Transcript(string[] args)
    {
        if (Environment.GetEnvironmentVariable("LAMBDA_TEST_TRANSCRIPTS") is not { Length: > 0 } dir)
        {
            return null;
        }

        Directory.CreateDirectory(dir);
        var name = $"{(args.Length > 0 ? args[0] : "lambda")}-{_process.Id}.log";
        var writer = new StreamWriter(Path.Combine(dir, name)) { AutoFlush = true };
        writer.WriteLine("lambda " + string.Join(' ', args));
        return writer;
    }

    private void Write(string stream, string line)
    {
        lock (_transcriptLock)
        {
            _transcript?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {stream} {line}");
        }
    }

    /// <summary>jobs/Lambda.Cli's build output in the same configuration as this test assembly.</summary>
    private static string CliDll
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            var configuration = dir.Parent!.Name; // bin/<Configuration>/net10.0/
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Lambda.sln")))
            {
                dir = dir.Parent;
            }

            Assert.NotNull(dir);
            var dll = Path.Combine(dir.FullName, "jobs", "Lambda.Cli", "bin", configuration, "net10.0", "lambda.dll");
            Assert.True(File.Exists(dll), $"{dll} is missing: build jobs/Lambda.Cli first");
            return dll;
        }
    }
}

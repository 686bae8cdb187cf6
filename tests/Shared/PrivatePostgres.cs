using System.Net;
using System.Net.Sockets;

namespace Lambda.Tests.Shared;

/// <summary>
/// A PostgreSQL 15 server of a test's own (initdb into a temp dir, trust auth, a free port), so the
/// test can stop and restart it without touching the shared server other tests use. Runs as the
/// postgres user via runuser; without the binaries or root the test is skipped here, failed on CI.
/// </summary>
internal sealed class PrivatePostgres : IDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";

    private PrivatePostgres(string directory, int port)
    {
        Directory_ = directory;
        Port = port;
    }

    public string Directory_ { get; }

    public int Port { get; }

    /// <summary>Connects as the postgres superuser; short timeouts so a stopped server fails fast.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Timeout=3;Command Timeout=10;Pooling=true";

    private string DataDir => Path.Combine(Directory_, "data");

    public static PrivatePostgres Create()
    {
        if (!File.Exists(Path.Combine(Bin, "initdb")))
        {
            FaultEnvironment.Require($"no PostgreSQL 15 binaries in {Bin}");
        }

        var directory = Path.Combine(Path.GetTempPath(), "lambda-pg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var (chown, chownOutput) = FaultEnvironment.Run("chown", "postgres:postgres", directory);
        if (chown != 0)
        {
            Directory.Delete(directory);
            FaultEnvironment.Require($"cannot hand a data directory to the postgres user (needs root): {chownOutput.Trim()}");
        }

        var server = new PrivatePostgres(directory, FreePort());
        var (initdb, output) = server.AsPostgres("initdb", "-D", server.DataDir, "-A", "trust", "-U", "postgres", "--no-sync");
        if (initdb != 0)
        {
            server.Dispose();
            FaultEnvironment.Require($"initdb failed: {output.Trim()}");
        }

        server.Start();
        return server;
    }

    public void Start()
    {
        var (code, output) = AsPostgres("pg_ctl", "-D", DataDir, "-w", "-t", "60", "-l", Path.Combine(Directory_, "server.log"),
            "-o", $"-p {Port} -k {Directory_} -c listen_addresses=127.0.0.1 -c fsync=off", "start");
        if (code != 0)
        {
            throw new InvalidOperationException($"pg_ctl start failed: {output}");
        }
    }

    /// <summary>Stops the server at once (open connections are cut).</summary>
    public void Stop()
    {
        var (code, output) = AsPostgres("pg_ctl", "-D", DataDir, "-w", "-t", "60", "-m", "fast", "stop");
        if (code != 0)
        {
            throw new InvalidOperationException($"pg_ctl stop failed: {output}");
        }
    }

    private (int, string) AsPostgres(string tool, params string[] arguments) =>
        FaultEnvironment.Run("runuser", ["-u", "postgres", "--", Path.Combine(Bin, tool), .. arguments]);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (File.Exists(Path.Combine(DataDir, "postmaster.pid")))
        {
            AsPostgres("pg_ctl", "-D", DataDir, "-w", "-m", "immediate", "stop");
        }

        Directory.Delete(Directory_, recursive: true);
    }
}

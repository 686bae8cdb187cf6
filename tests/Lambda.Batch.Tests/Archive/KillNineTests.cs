using System.Diagnostics;
using Lambda.Batch.Master;

namespace Lambda.Batch.Tests.Archive;

/// <summary>
/// `lambda archive` / `lambda backfill` killed with SIGKILL mid-run, then run again, leave exactly what an
/// uninterrupted run leaves: the same files with the same rows.
/// </summary>
public sealed class KillNineTests : IDisposable
{
    private const int Chunk = 2_000;

    // Enough chunks that the child is still archiving up to 150 ms after its first commit (60,000 once
    // sometimes finished first, after the archive got faster).
    private const int Records = 150_000;
    private readonly MasterTestBed _bed = new();

    private string Reference => Path.Combine(_bed.DataDirectory, "reference");

    [Fact]
    public async Task an_archive_killed_mid_run_then_rerun_equals_an_uninterrupted_archive()
    {
        await _bed.GenerateAsync(Records);
        await _bed.ArchiveAsync(Reference, Chunk);

        await RunAndKillAsync("archive", ArchiveManifest.PathOf(_bed.Master));
        var manifest = ArchiveManifest.Load(_bed.Master);
        Assert.True(manifest.ArchivedTo.Values.Sum() < ArchiveManifest.Load(Reference).ArchivedTo.Values.Sum(),
            $"the child finished before it was killed: the test needs more records ({manifest.ArchivedTo.Values.Sum()} of {ArchiveManifest.Load(Reference).ArchivedTo.Values.Sum()})");

        await _bed.ArchiveAsync(chunkRecords: Chunk);

        MasterTestBed.AssertSameDataset(Reference, _bed.Master);
    }

    [Fact]
    public async Task a_backfill_killed_mid_run_then_rerun_equals_an_uninterrupted_one()
    {
        await _bed.GenerateAsync(Records);
        await _bed.ArchiveAsync(Reference, Chunk);
        await _bed.ArchiveAsync(chunkRecords: 50_000);

        await RunAndKillAsync("backfill", ArchiveManifest.PathOf(_bed.Master + ".backfill"));
        Assert.True(Directory.Exists(_bed.Master + ".backfill"), "the child finished before it was killed: the test needs more records");

        await _bed.BackfillAsync(chunkRecords: Chunk);

        MasterTestBed.AssertSameDataset(Reference, _bed.Master);
    }

    /// <summary>Starts `lambda command`, waits until <paramref name="committed"/> appears (a first chunk committed), kills it.</summary>
    private async Task RunAndKillAsync(string command, string committed)
    {
        var lambda = LambdaPath();
        Assert.True(File.Exists(lambda), $"the lambda CLI is not built at {lambda}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { lambda, command, "--data-dir", _bed.DataDirectory, "--chunk-records", $"{Chunk}", "--parallelism", "1" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var deadline = Stopwatch.StartNew();
        while (!File.Exists(committed) && !process.HasExited && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(5);
        }

        if (process.HasExited)
        {
            Assert.Fail($"the child exited before it was killed: {await stdout}{await stderr}");
        }

        await Task.Delay(Random.Shared.Next(0, 150));
        process.Kill(entireProcessTree: false); // SIGKILL on Unix
        await process.WaitForExitAsync();
        Assert.NotEqual(0, process.ExitCode);
    }

    private static string LambdaPath()
    {
        // tests/Lambda.Batch.Tests/bin/<Configuration>/net10.0/ -> jobs/Lambda.Cli/bin/<Configuration>/net10.0/lambda.dll
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent!.Name;
        var repository = output.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(repository, "jobs", "Lambda.Cli", "bin", configuration, output.Name, "lambda.dll");
    }

    public void Dispose() => _bed.Dispose();
}

using System.Diagnostics;
using Lambda.Batch.Recompute;
using Lambda.Batch.Tests.Recompute.Fixtures;

namespace Lambda.Batch.Tests.Recompute;

public sealed class CrashRerunTests
{
    [Fact]
    public async Task a_recompute_killed_midway_then_rerun_gives_the_same_files_and_views()
    {
        var scenario = TrafficScenario.Create();
        await using var crashed = await BatchTestBed.CreateAsync();
        await using var reference = await BatchTestBed.CreateAsync();
        MasterFixture.Write(crashed.MasterRoot, scenario.Records);
        MasterFixture.Write(reference.MasterRoot, scenario.Records);
        var expected = await reference.RecomputeAsync();

        using (var child = StartLambda("batch", "recompute", "--data-dir", crashed.DataDirectory, "--threads", "2"))
        {
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (!child.HasExited && !Directory.Exists(crashed.Paths.TempRoot) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10);
            }

            // Somewhere inside the run: the exact spot does not matter, any spot must be recoverable.
            await Task.Delay(400);
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
        }

        using (var rerun = StartLambda("batch", "recompute", "--data-dir", crashed.DataDirectory, "--threads", "2"))
        {
            await rerun.WaitForExitAsync();
            Assert.True(rerun.ExitCode == 0, await rerun.StandardError.ReadToEndAsync());
        }

        var current = (await crashed.Store.GetCurrentBatchVersionAsync())!;
        var expectedRows = reference.FileRows(expected.VersionId!.Value);
        RowAssert.Equal(expectedRows, crashed.FileRows(current.VersionId));
        RowAssert.Equal(expectedRows, await crashed.StoreRowsAsync(current.VersionId, expectedRows.Keys.Select(k => k.Campaign)));
        Assert.Equal(expected.WatermarkMs, current.WatermarkMs);
        Assert.All(await crashed.Store.ListBatchVersionsAsync(), v => Assert.Equal("ready", v.State));
        foreach (var granularity in BatchViewFiles.Granularities)
        {
            if (current.VersionId == expected.VersionId)
            {
                var expectedFiles = BatchViewFiles.PathsOf(reference.Paths.VersionDirectory(expected.VersionId.Value), granularity);
                var actualFiles = BatchViewFiles.PathsOf(crashed.Paths.VersionDirectory(current.VersionId), granularity);
                Assert.Equal(expectedFiles.Select(Path.GetFileName), actualFiles.Select(Path.GetFileName));
                Assert.Equal(expectedFiles.Select(File.ReadAllBytes), actualFiles.Select(File.ReadAllBytes));
            }
        }
    }

    private static Process StartLambda(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(LambdaDll());
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["LAMBDA_LOG_FORMAT"] = "json";
        return Process.Start(info)!;
    }

    /// <summary>The `lambda` CLI built beside this test project (referenced without its assembly).</summary>
    private static string LambdaDll()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testBin.Parent!.Name;
        var root = testBin;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Lambda.sln")))
        {
            root = root.Parent;
        }

        var dll = Path.Combine(root!.FullName, "jobs", "Lambda.Cli", "bin", configuration, testBin.Name, "lambda.dll");
        Assert.True(File.Exists(dll), $"the lambda CLI is not built at {dll}");
        return dll;
    }
}

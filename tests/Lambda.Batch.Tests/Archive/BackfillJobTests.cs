using Lambda.Batch.Backfill;
using Lambda.Batch.Master;
using Lambda.SharedModel.Events;

namespace Lambda.Batch.Tests.Archive;

public sealed class BackfillJobTests : IDisposable
{
    private readonly MasterTestBed _bed = new();

    private string Reference => Path.Combine(_bed.DataDirectory, "reference");

    [Fact]
    public async Task a_full_backfill_gives_the_files_and_rows_of_an_archive_and_calls_the_recompute()
    {
        await _bed.GenerateAsync(40_000);
        await _bed.AppendInvalidAsync(Topics.Clicks, 3);
        await _bed.ArchiveAsync(Reference);
        await _bed.ArchiveAsync();
        var recompute = new CountingRecompute();

        var result = await _bed.BackfillAsync(recompute: recompute);

        MasterTestBed.AssertSameDataset(Reference, _bed.Master);
        Assert.Equal(1, recompute.Calls);
        Assert.True(result.Recomputed);
        Assert.Equal(3, result.Rebuild!.InvalidSkipped);
        var manifest = ArchiveManifest.Load(_bed.Master);
        Assert.Equal(ArchiveManifest.Load(Reference).ArchivedTo, manifest.ArchivedTo);
        // The run numbering continues, and the backfill run dirties every date.
        Assert.Equal([1L, 2L], manifest.Runs.Select(r => r.Run));
        Assert.Equal([MasterTestBed.FirstDay, MasterTestBed.SecondDay], manifest.DatesDirtiedSince(1).Order());
        Assert.False(Directory.Exists(_bed.Master + ".backfill"));
        Assert.False(Directory.Exists(_bed.Master + ".old"));
        Assert.False(File.Exists(Path.Combine(_bed.Master, "_backfill.json")));
    }

    [Fact]
    public async Task a_date_range_backfill_replaces_only_the_folders_of_those_dates()
    {
        await _bed.GenerateAsync(40_000);
        await _bed.ArchiveAsync(chunkRecords: 20_000);
        var before = MasterTestBed.Files(_bed.Master);
        var rows = MasterTestBed.Rows(_bed.Master);

        // Another chunk size names the rebuilt files differently, which shows which folders were replaced.
        var result = await _bed.BackfillAsync(new EventDateRange(MasterTestBed.SecondDay, MasterTestBed.SecondDay), chunkRecords: 3_000);

        var after = MasterTestBed.Files(_bed.Master);
        var firstDay = $"date={MasterTestBed.FirstDay:yyyy-MM-dd}";
        var secondDay = $"date={MasterTestBed.SecondDay:yyyy-MM-dd}";
        Assert.Equal(before.Where(f => f.Contains(firstDay, StringComparison.Ordinal)), after.Where(f => f.Contains(firstDay, StringComparison.Ordinal)));
        Assert.NotEqual(before.Where(f => f.Contains(secondDay, StringComparison.Ordinal)), after.Where(f => f.Contains(secondDay, StringComparison.Ordinal)));
        Assert.All(after.Where(f => f.Contains(secondDay, StringComparison.Ordinal)), f =>
        {
            Assert.True(MasterDataset.TryParseFileName(Path.GetFileName(f), out _, out var from, out var to));
            Assert.True(to - from <= 3_000 && from % 3_000 == 0, f);
        });
        Assert.Equal(rows, MasterTestBed.Rows(_bed.Master));
        Assert.Equal([MasterTestBed.SecondDay], result.DatesReplaced);
        var manifest = ArchiveManifest.Load(_bed.Master);
        Assert.Equal("backfill-range", manifest.Runs[^1].Kind);
        Assert.Equal([MasterTestBed.SecondDay], manifest.DatesDirtiedSince(1).Order());
    }

    [Theory]
    [InlineData("rebuilt")]
    [InlineData("whole:manifest")]
    [InlineData("whole:complete")]
    [InlineData("whole:aside")]
    [InlineData("whole:in")]
    public async Task a_full_backfill_interrupted_at_any_step_completes_on_rerun(string step)
    {
        await _bed.GenerateAsync(20_000);
        await _bed.ArchiveAsync(Reference, chunkRecords: 4_000);
        await _bed.ArchiveAsync(chunkRecords: 7_000);

        await Assert.ThrowsAsync<SimulatedCrash>(() => BackfillCrashingAt(step, range: null));
        if (step is "whole:aside")
        {
            await Assert.ThrowsAsync<InvalidOperationException>(ArchiveAsync);
        }

        await _bed.BackfillAsync(chunkRecords: 4_000);

        MasterTestBed.AssertSameDataset(Reference, _bed.Master);
        Assert.Equal([1L, 2L], ArchiveManifest.Load(_bed.Master).Runs.Select(r => r.Run));
        Assert.False(Directory.Exists(_bed.Master + ".backfill"));
        Assert.False(Directory.Exists(_bed.Master + ".old"));
    }

    [Theory]
    [InlineData("rebuilt")]
    [InlineData("dates:complete")]
    [InlineData("dates:aside")]
    [InlineData("dates:in")]
    [InlineData("dates:manifest")]
    public async Task a_date_range_backfill_interrupted_at_any_step_completes_on_rerun(string step)
    {
        await _bed.GenerateAsync(20_000);
        await _bed.ArchiveAsync(chunkRecords: 7_000);
        var rows = MasterTestBed.Rows(_bed.Master);
        var range = new EventDateRange(MasterTestBed.FirstDay, MasterTestBed.SecondDay);
        var uninterrupted = Path.Combine(_bed.DataDirectory, "uninterrupted");
        CopyTree(_bed.Master, uninterrupted);
        await using (var log = _bed.OpenLog())
        {
            await new BackfillJob(log, new BackfillOptions { Archive = MasterTestBed.Options(uninterrupted, 4_000), Dates = range }).RunAsync();
        }

        await Assert.ThrowsAsync<SimulatedCrash>(() => BackfillCrashingAt(step, range));
        await _bed.BackfillAsync(range, chunkRecords: 4_000);

        MasterTestBed.AssertSameDataset(uninterrupted, _bed.Master);
        Assert.Equal(rows, MasterTestBed.Rows(_bed.Master));
        Assert.Equal([1L, 2L], ArchiveManifest.Load(_bed.Master).Runs.Select(r => r.Run));
        Assert.False(Directory.Exists(_bed.Master + ".backfill"));
        Assert.False(Directory.Exists(_bed.Master + ".old"));
    }

    private async Task BackfillCrashingAt(string step, EventDateRange? range)
    {
        await using var log = _bed.OpenLog();
        var job = new BackfillJob(log, new BackfillOptions { Archive = MasterTestBed.Options(_bed.Master, 4_000), Dates = range })
        {
            OnStep = s =>
            {
                if (s == step)
                {
                    throw new SimulatedCrash();
                }
            },
        };
        await job.RunAsync();
    }

    private async Task ArchiveAsync()
    {
        await using var log = _bed.OpenLog();
        await new Lambda.Batch.Archive.ArchiveJob(log, MasterTestBed.Options(_bed.Master, 4_000)).RunAsync();
    }

    private static void CopyTree(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }

    public void Dispose() => _bed.Dispose();

    private sealed class SimulatedCrash : Exception;

    private sealed class CountingRecompute : IRecompute
    {
        public int Calls { get; private set; }

        public Task RecomputeAsync(CancellationToken cancellationToken)
        {
            Calls++;
            return Task.CompletedTask;
        }
    }
}

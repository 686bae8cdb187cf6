using System.Diagnostics;
using System.Globalization;
using Lambda.Batch.Archive;
using Spectre.Console;

namespace Lambda.Cli.Commands;

/// <summary>
/// Shows a batch job's progress: a Spectre.Console progress bar on an interactive terminal, otherwise a
/// plain line every few seconds (logs and pipes get no control codes).
/// </summary>
internal static class JobProgress
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(2);

    public static async Task<T> RunAsync<T>(string label, TextWriter output, Func<IProgress<ArchiveProgress>, Task<T>> job)
    {
        if (AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
        {
            return await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(label, maxValue: 1);
                    var result = await job(new Reporter(p => task.Value = p.Fraction)).ConfigureAwait(false);
                    task.Value = 1;
                    return result;
                }).ConfigureAwait(false);
        }

        var stopwatch = Stopwatch.StartNew();
        var last = TimeSpan.Zero;
        var gate = new Lock();
        return await job(new Reporter(p =>
        {
            lock (gate)
            {
                if (stopwatch.Elapsed - last < PlainInterval)
                {
                    return;
                }

                last = stopwatch.Elapsed;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{label}: {p.RecordsDone} / {p.RecordsTotal} records ({p.Fraction:P0})"));
            }
        })).ConfigureAwait(false);
    }

    /// <summary>Reports on the caller's thread (the job's workers), unlike <see cref="Progress{T}"/>, which posts.</summary>
    private sealed class Reporter(Action<ArchiveProgress> report) : IProgress<ArchiveProgress>
    {
        public void Report(ArchiveProgress value) => report(value);
    }
}

using System.Diagnostics;
using System.Globalization;
using Lambda.Batch.Archive;
using Spectre.Console;

namespace Lambda.Cli.Commands;

/// <summary>
/// Shows a long command's progress: a Spectre.Console progress bar on an interactive terminal, otherwise a
/// plain line every few seconds (logs and pipes get no control codes). A job reports values of its own
/// kind (records archived, bytes ingested, the recompute's stage); <c>describe</c> turns one into a
/// <see cref="ProgressStep"/>.
/// </summary>
internal static class JobProgress
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(2);

    /// <summary>An archive or backfill: records done of the records to do.</summary>
    public static Task<T> RunAsync<T>(string label, TextWriter output, Func<IProgress<ArchiveProgress>, Task<T>> job) =>
        RunAsync(label, output, p => new ProgressStep(p.Fraction,
            string.Create(CultureInfo.InvariantCulture, $"{p.RecordsDone} / {p.RecordsTotal} records ({p.Fraction:P0})")), job);

    public static async Task<T> RunAsync<TValue, T>(string label, TextWriter output, Func<TValue, ProgressStep> describe,
        Func<IProgress<TValue>, Task<T>> job)
    {
        if (AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
        {
            return await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(label, maxValue: 1);
                    var result = await job(new Reporter<TValue>(v =>
                    {
                        var step = describe(v);
                        task.Description = $"{label}: {Markup.Escape(step.Text)}";
                        task.IsIndeterminate = step.Fraction is null;
                        task.Value = step.Fraction ?? 0;
                    })).ConfigureAwait(false);
                    task.IsIndeterminate = false;
                    task.Value = 1;
                    return result;
                }).ConfigureAwait(false);
        }

        var stopwatch = Stopwatch.StartNew();
        var last = TimeSpan.Zero;
        var gate = new Lock();
        return await job(new Reporter<TValue>(v =>
        {
            lock (gate)
            {
                if (stopwatch.Elapsed - last < PlainInterval)
                {
                    return;
                }

                last = stopwatch.Elapsed;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: {describe(v).Text} ({stopwatch.Elapsed.TotalSeconds:F0} s)"));
            }
        })).ConfigureAwait(false);
    }

    /// <summary>Reports on the caller's thread (the job's workers), unlike <see cref="Progress{T}"/>, which posts.</summary>
    private sealed class Reporter<TValue>(Action<TValue> report) : IProgress<TValue>
    {
        public void Report(TValue value) => report(value);
    }
}

/// <summary>One progress report: the fraction done, when the job knows its total, and what it is doing.</summary>
internal readonly record struct ProgressStep(double? Fraction, string Text);

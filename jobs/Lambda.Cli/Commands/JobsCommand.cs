using System.CommandLine;
using System.Globalization;
using Lambda.Cli.CommandLine;

namespace Lambda.Cli.Commands;

/// <summary>`lambda jobs`: the job history as a table, newest first.</summary>
internal static class JobsCommand
{
    public static Command Create(PlatformOptions platform)
    {
        var job = new Option<string?>("--job") { Description = "Only this job (archive, recompute, speed-retention)." };
        var limit = new Option<int>("--limit", "-n") { Description = "Runs to show (default 20).", DefaultValueFactory = _ => 20 };
        var command = new Command("jobs", "Show the history of scheduled job runs: start, end, outcome, rows, duration, error.") { job, limit };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            if (parsed.GetValue(limit) < 1)
            {
                throw new UsageException("--limit must be at least 1");
            }

            await using var history = await platform.OpenJobHistoryAsync(parsed, cancellationToken).ConfigureAwait(false);
            var runs = await history.ListRunsAsync(parsed.GetValue(job), parsed.GetValue(limit), cancellationToken).ConfigureAwait(false);
            var output = parsed.InvocationConfiguration.Output;
            if (runs.Count == 0)
            {
                await output.WriteLineAsync("no job has run yet (the scheduler runs in 'lambda run' or 'lambda scheduler')").ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            await output.WriteLineAsync($"{"run",6} {"job",-16} {"trigger",-9} {"outcome",-10} {"started",-20} {"duration",10} {"rows",12} {"tries",5}  instance / error").ConfigureAwait(false);
            foreach (var r in runs)
            {
                var duration = r.Duration is { } d ? d.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) + " s" : "-";
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{r.RunId,6} {r.JobName,-16} {r.Trigger,-9} {r.Outcome,-10} {r.StartedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} {duration,10} {r.Rows,12} {r.Attempts,5}  {r.Instance}{(r.Error is null ? "" : " / " + r.Error)}")).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}

using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Lambda.Jobs;

/// <summary>
/// The batch jobs' metrics (meter <c>Lambda.Jobs</c>): runs by job and outcome and their durations,
/// recorded by <see cref="JobRunner"/> as each run ends and exported by the host's <c>/metrics</c>.
/// </summary>
internal static class JobMeter
{
    private static readonly Meter Meter = new("Lambda.Jobs");

    // A run takes from seconds (an archive of a quiet hour) to an hour (a full recompute of years).
    private static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
    };

    private static readonly Counter<long> Runs = Meter.CreateCounter<long>("lambda.job.runs", "{run}",
        "Job runs ended, by job (archive, recompute, retention, ...) and outcome (succeeded, failed, cancelled).");

    private static readonly Histogram<double> Duration = Meter.CreateHistogram("lambda.job.duration", "s",
        "Wall time of one job run, retries included, by job and outcome.", tags: null, advice: Seconds);

    private static readonly Counter<long> Rows = Meter.CreateCounter<long>("lambda.job.rows", "{row}",
        "Rows the job's successful runs produced (events archived, view rows recomputed, ...), by job.");

    public static void Ended(string job, string outcome, TimeSpan duration, long rows)
    {
        var tags = new TagList { { "job", job }, { "outcome", outcome } };
        Runs.Add(1, tags);
        Duration.Record(duration.TotalSeconds, tags);
        if (rows > 0)
        {
            Rows.Add(rows, new KeyValuePair<string, object?>("job", job));
        }
    }
}

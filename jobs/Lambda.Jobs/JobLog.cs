using Microsoft.Extensions.Logging;

namespace Lambda.Jobs;

/// <summary>The scheduler's log events, with the fixed ids of <see cref="JobsLogEvents"/> that alerting can match on.</summary>
internal static partial class JobLog
{
    [LoggerMessage(EventId = JobsLogEvents.JobStarted, Level = LogLevel.Information, Message = "Job {Job} started ({Trigger}) on {Instance}, run {RunId}")]
    public static partial void Started(ILogger logger, string job, string trigger, string instance, long runId);

    [LoggerMessage(EventId = JobsLogEvents.JobSucceeded, Level = LogLevel.Information, Message = "Job {Job} succeeded in {DurationMs} ms: {Rows} rows, {Attempts} attempt(s), run {RunId}")]
    public static partial void Succeeded(ILogger logger, string job, long durationMs, long rows, int attempts, long runId);

    [LoggerMessage(EventId = JobsLogEvents.JobRetrying, Level = LogLevel.Warning, Message = "Job {Job} attempt {Attempt} failed with a transient error; retrying in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, Exception error, string job, int attempt, long delayMs);

    [LoggerMessage(EventId = JobsLogEvents.JobFailed, Level = LogLevel.Critical, Message = "ALERT: job {Job} failed after {Attempts} attempt(s), run {RunId}: {Reason}")]
    public static partial void Failed(ILogger logger, Exception error, string job, int attempts, long runId, string reason);

    [LoggerMessage(EventId = JobsLogEvents.JobCancelled, Level = LogLevel.Warning, Message = "Job {Job} was cancelled by a shutdown, run {RunId}")]
    public static partial void Cancelled(ILogger logger, string job, long runId);

    [LoggerMessage(EventId = JobsLogEvents.SchedulerStarted, Level = LogLevel.Information, Message = "Scheduler {Instance} started on the {Store} store: {Job} at '{Cron}' in {TimeZone}, next {Next}")]
    public static partial void Scheduled(ILogger logger, string instance, string store, string job, string cron, string timeZone, DateTimeOffset? next);

    [LoggerMessage(EventId = JobsLogEvents.ScheduleChanged, Level = LogLevel.Warning, Message = "Job {Job}'s schedule changed from '{OldCron}' to '{Cron}'; a run missed under the old one is dropped")]
    public static partial void Rescheduled(ILogger logger, string job, string oldCron, string cron);

    [LoggerMessage(EventId = JobsLogEvents.SpeedRetentionDeleted, Level = LogLevel.Information, Message = "Speed retention: deleted {Rows} speed rows before {Cutoff} (batch watermark {Watermark} minus {Grace})")]
    public static partial void RetentionDeleted(ILogger logger, long rows, DateTimeOffset cutoff, DateTimeOffset watermark, TimeSpan grace);

    [LoggerMessage(EventId = JobsLogEvents.SpeedRetentionWaiting, Level = LogLevel.Information, Message = "Speed retention: no batch version yet, nothing is deleted")]
    public static partial void RetentionNoBatch(ILogger logger);

    [LoggerMessage(EventId = JobsLogEvents.HistoryWriteFailed, Level = LogLevel.Error, Message = "Job history write for {Job} failed; the run goes on unrecorded")]
    public static partial void HistoryFailed(ILogger logger, Exception error, string job);
}

using System.Collections.Concurrent;
using Quartz;

namespace Lambda.Jobs;

/// <summary>
/// Remembers which triggers Quartz reported misfired, so the run that follows can be recorded as a
/// misfire ("fire once now") rather than an on-time run. Quartz moves a misfired cron trigger's
/// scheduled time to now, so the run itself cannot tell.
/// </summary>
internal sealed class MisfireTracker : ITriggerListener
{
    private readonly ConcurrentDictionary<TriggerKey, byte> _misfired = new();

    public string Name => "lambda-misfires";

    /// <summary>True (once) if <paramref name="trigger"/> misfired before this firing.</summary>
    public bool TakeMisfire(TriggerKey trigger) => _misfired.TryRemove(trigger, out _);

    public ValueTask TriggerMisfired(ITrigger trigger, IScheduler scheduler, CancellationToken cancellationToken = default)
    {
        _misfired[trigger.Key] = 0;
        return ValueTask.CompletedTask;
    }

    public ValueTask TriggerFired(ITrigger trigger, IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        ValueTask.CompletedTask;

    public ValueTask<bool> VetoJobExecution(ITrigger trigger, IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(false);

    public ValueTask TriggerComplete(ITrigger trigger, IJobExecutionContext context, SchedulerInstruction triggerInstructionCode,
        CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask TriggerSkipped(ITrigger trigger, IScheduler scheduler, CancellationToken cancellationToken = default) =>
        ValueTask.CompletedTask;

    public ValueTask TriggerRetriesExhausted(ITrigger trigger, IJobExecutionContext context, JobExecutionException exception,
        CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}

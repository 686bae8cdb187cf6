using Hangfire;
using Hangfire.Client;
using Hangfire.Common;
using Hangfire.States;

namespace Lambda.Jobs;

/// <summary>
/// The background-job factory of Hangfire's <c>RecurringJobScheduler</c> only: every run it creates
/// came from the schedule, so it stamps the run's trigger kind (<see cref="TriggerKinds.JobParameter"/>).
/// A run created more than <see cref="SchedulerOptions.MisfireThreshold"/> after the time the schedule
/// had stored for it is the catch-up of a missed run (Hangfire's relaxed misfire handling creates one
/// run for any number of missed ones). Manual triggers (the dashboard, <see cref="JobScheduler.TriggerAsync"/>)
/// go through another factory and carry no stamp.
/// </summary>
internal sealed class ScheduledRunFactory(IBackgroundJobFactory inner, TimeSpan misfireThreshold, Func<DateTime> now) : IBackgroundJobFactory
{
    public IStateMachine StateMachine => inner.StateMachine;

    public BackgroundJob Create(CreateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Parameters[TriggerKinds.JobParameter] = KindOf(context);
        return inner.Create(context);
    }

    private string KindOf(CreateContext context)
    {
        if (!context.Parameters.TryGetValue("RecurringJobId", out var id) || id is not string recurringJobId)
        {
            return TriggerKinds.Schedule;
        }

        // The stored hash still holds the due time this run is for: the scheduler updates it after creating the run.
        var stored = context.Connection.GetAllEntriesFromHash($"recurring-job:{recurringJobId}");
        if (stored is null || !stored.TryGetValue("NextExecution", out var next) || string.IsNullOrEmpty(next))
        {
            return TriggerKinds.Schedule;
        }

        var due = JobHelper.DeserializeDateTime(next);
        return now() - due > misfireThreshold ? TriggerKinds.Misfire : TriggerKinds.Schedule;
    }
}

using Hangfire;
using Hangfire.Common;
using Hangfire.InMemory;

namespace Lambda.Jobs;

/// <summary>
/// Checks a cron the way Hangfire will read it. Hangfire's parser (Cronos) is internal to it, so the
/// check registers the cron as a recurring job in a throwaway in-memory storage: the one parser that
/// will run the schedule is the one that judges it. Quartz-style crons (seconds first, <c>?</c>) pass;
/// Quartz's seventh field (the year) does not exist here.
/// </summary>
internal static class CronText
{
    /// <summary>Why <paramref name="cron"/> cannot be scheduled, or null if it can.</summary>
    public static string? Problem(string cron)
    {
        if (string.IsNullOrWhiteSpace(cron))
        {
            return "it is empty";
        }

        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields is not (5 or 6))
        {
            return $"it has {fields} fields; give 5 (minute first) or 6 (second first){(fields == 7 ? ", there is no year field ('0 0 31 2 *' never fires)" : "")}";
        }

        using var storage = new InMemoryStorage();
        try
        {
            new RecurringJobManager(storage).AddOrUpdate("cron-check", Job.FromExpression(() => Nothing()), cron, new RecurringJobOptions());
            return null;
        }
        catch (ArgumentException e)
        {
            return e.InnerException?.Message ?? e.Message;
        }
    }

    /// <summary>The body of the probe job; never run.</summary>
    public static void Nothing()
    {
    }
}

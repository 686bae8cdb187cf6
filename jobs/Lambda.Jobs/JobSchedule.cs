namespace Lambda.Jobs;

/// <summary>When a job runs: its cron, read in the time zone <paramref name="TimeZone"/> (an IANA or Windows id).</summary>
public sealed record JobSchedule(string Cron, string TimeZone);

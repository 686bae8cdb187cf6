namespace Lambda.Jobs;

/// <summary>Why a job ran, as <see cref="Lambda.SharedModel.Jobs.JobRun.Trigger"/> records it.</summary>
public static class TriggerKinds
{
    /// <summary>Its cron schedule came due.</summary>
    public const string Schedule = "schedule";

    /// <summary>A scheduled run was missed (every scheduler was down) and is caught up once now.</summary>
    public const string Misfire = "misfire";

    /// <summary>Someone asked for it (`lambda run --demo`, an operator on the dashboard).</summary>
    public const string Manual = "manual";

    /// <summary>The Hangfire job parameter that carries the kind; absent on a manual trigger.</summary>
    internal const string JobParameter = "LambdaTrigger";
}

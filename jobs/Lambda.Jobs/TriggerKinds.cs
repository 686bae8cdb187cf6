namespace Lambda.Jobs;

/// <summary>Why a job ran, as <see cref="Lambda.SharedModel.Jobs.JobRun.Trigger"/> records it.</summary>
public static class TriggerKinds
{
    /// <summary>Its cron schedule came due.</summary>
    public const string Schedule = "schedule";

    /// <summary>A scheduled run was missed (the host was down) and runs once now.</summary>
    public const string Misfire = "misfire";

    /// <summary>Someone asked for it (`lambda run --demo`, an operator).</summary>
    public const string Manual = "manual";
}

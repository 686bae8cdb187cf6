namespace Lambda.Serving.Api;

/// <summary>Epoch milliseconds to the UTC <see cref="DateTime"/>s the JSON carries (written as <c>...Z</c>).</summary>
public static class ApiTime
{
    /// <summary>The UTC time of <paramref name="epochMs"/>.</summary>
    public static DateTime FromMs(long epochMs) => DateTime.UnixEpoch.AddMilliseconds(epochMs);

    /// <summary>As <see cref="FromMs"/>; null for <see cref="long.MinValue"/> or <see cref="long.MaxValue"/> ("none").</summary>
    public static DateTime? FromMsOrNull(long epochMs) =>
        epochMs is long.MinValue or long.MaxValue ? null : FromMs(epochMs);
}

namespace Lambda.Bench.Tests;

public class SoakSettingsTests
{
    private static readonly SoakSettings Valid = new(200_000, TimeSpan.FromSeconds(180), TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(60),
        TimeSpan.FromSeconds(10), 20, "soak.csv", null);

    [Fact]
    public void the_defaults_have_no_problem() => Assert.Null(Valid.Problem());

    [Fact]
    public void each_bad_value_is_reported_naming_its_option()
    {
        Assert.StartsWith("--rate ", (Valid with { Rate = 0 }).Problem());
        Assert.StartsWith("--sample ", (Valid with { Sample = TimeSpan.Zero }).Problem());
        Assert.StartsWith("--window ", (Valid with { Window = TimeSpan.FromSeconds(5) }).Problem());
        Assert.StartsWith("--warmup ", (Valid with { Warmup = TimeSpan.FromSeconds(-5) }).Problem());
        Assert.StartsWith("--query-rate ", (Valid with { QueriesPerSecond = 0 }).Problem());
        Assert.StartsWith("--minutes ", (Valid with { Duration = TimeSpan.FromMinutes(1) }).Problem());
        Assert.StartsWith("--log-retention ", (Valid with { LogRetention = TimeSpan.FromSeconds(5) }).Problem());
        Assert.StartsWith("--log-segment-mb ", (Valid with { LogSegmentMb = 0 }).Problem());
    }

    [Fact]
    public void the_disk_needed_grows_with_the_rate_and_the_retention_not_with_the_runs_length()
    {
        var needed = Valid.DiskBytesNeeded();

        // 200,000/s x 500 B x (120 + 90) s is 21 GB of log, plus segments and the store, x 1.5.
        Assert.InRange(needed, 30_000_000_000L, 36_000_000_000L);
        Assert.Equal(needed, (Valid with { Duration = TimeSpan.FromHours(2) }).DiskBytesNeeded());
        Assert.True((Valid with { LogRetention = TimeSpan.FromMinutes(10) }).DiskBytesNeeded() > needed);
        Assert.True((Valid with { Rate = 20_000 }).DiskBytesNeeded() < needed);
    }

    [Fact]
    public void a_soak_that_cannot_fit_on_the_disk_is_refused_naming_the_space_and_the_options()
    {
        var parent = Path.GetTempPath();
        var huge = Valid with { Rate = 1_000_000, LogRetention = TimeSpan.FromDays(1) };

        var problem = SoakBench.DiskProblem(huge, parent);

        Assert.NotNull(problem);
        Assert.Contains("not enough disk in " + parent, problem, StringComparison.Ordinal);
        Assert.Contains("--log-retention", problem, StringComparison.Ordinal);
        Assert.Null(SoakBench.DiskProblem(Valid with { Rate = 1, LogRetention = TimeSpan.FromSeconds(10), LogSegmentMb = 1 }, parent));
    }
}

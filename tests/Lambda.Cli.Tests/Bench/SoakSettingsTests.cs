using Lambda.Cli.Bench;

namespace Lambda.Cli.Tests.Bench;

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
    }
}

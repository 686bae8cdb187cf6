namespace Lambda.Jobs.Tests;

public sealed class SchedulerOptionsTests
{
    [Fact]
    public void the_defaults_are_valid_and_recompute_nightly_at_two_utc()
    {
        var options = new SchedulerOptions();
        options.Validate();
        Assert.Equal("0 0 2 * * ?", options.RecomputeCron);
        Assert.Equal(TimeSpan.FromDays(2), options.RetentionGrace);
    }

    [Theory]
    [InlineData("RecomputeCron")]
    [InlineData("Store")]
    [InlineData("MaxAttempts")]
    public void a_bad_value_names_its_setting(string setting)
    {
        var options = setting switch
        {
            "RecomputeCron" => new SchedulerOptions { RecomputeCron = "every night" },
            "Store" => new SchedulerOptions { Store = "redis" },
            _ => new SchedulerOptions { MaxAttempts = 0 },
        };

        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal(setting, error.ParamName);
    }
}

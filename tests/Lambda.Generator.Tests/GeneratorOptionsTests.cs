using Lambda.Generator;

namespace Lambda.Generator.Tests;

public sealed class GeneratorOptionsTests
{
    public static TheoryData<GeneratorOptions, string> Invalid => new()
    {
        { new GeneratorOptions { Campaigns = 0 }, "Campaigns" },
        { new GeneratorOptions { AdsPerCampaign = -1 }, "AdsPerCampaign" },
        { new GeneratorOptions { Users = 0 }, "Users" },
        { new GeneratorOptions { Advertisers = 101 }, "Advertisers" },
        { new GeneratorOptions { ViewRate = 1.5 }, "ViewRate" },
        { new GeneratorOptions { ClickRate = double.NaN }, "ClickRate" },
        { new GeneratorOptions { BotShare = -0.1 }, "BotShare" },
        { new GeneratorOptions { DuplicateRate = 2 }, "DuplicateRate" },
        { new GeneratorOptions { LateFraction = 1.01 }, "LateFraction" },
        { new GeneratorOptions { ViewsBeforeServedShare = -1 }, "ViewsBeforeServedShare" },
        { new GeneratorOptions { CampaignZipfExponent = -1 }, "CampaignZipfExponent" },
        { new GeneratorOptions { UserZipfExponent = 11 }, "UserZipfExponent" },
        { new GeneratorOptions { EventsPerSecond = 0 }, "EventsPerSecond" },
        { new GeneratorOptions { Jitter = TimeSpan.FromMinutes(5) }, "Lateness" },
        { new GeneratorOptions { MaxViewDelay = TimeSpan.FromSeconds(-1) }, "MaxViewDelay" },
        { new GeneratorOptions { Duration = TimeSpan.Zero }, "Duration" },
        { GeneratorOptions.YahooStreamingBenchmark() with { Duration = TimeSpan.FromMilliseconds(10) }, "YsbMode" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void an_invalid_option_is_rejected_with_a_message_naming_it(GeneratorOptions options, string name)
    {
        var error = Assert.Throws<ArgumentException>(() => new TrafficGenerator(options));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
        Assert.Single(options.GetErrors());
    }

    [Fact]
    public void every_invalid_option_is_reported_at_once()
    {
        var errors = new GeneratorOptions { ViewRate = 2, ClickRate = 2, Users = 0 }.GetErrors();

        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void defaults_and_the_ysb_preset_are_valid()
    {
        Assert.Empty(new GeneratorOptions().GetErrors());
        Assert.Empty(GeneratorOptions.YahooStreamingBenchmark().GetErrors());
    }
}

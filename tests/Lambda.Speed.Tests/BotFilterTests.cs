using System.Text;
using Lambda.SharedModel.Bots;
using Lambda.Speed.Processing;

namespace Lambda.Speed.Tests;

public class BotFilterTests
{
    [Fact]
    public void remembered_verdicts_are_the_rules_verdicts_even_when_agents_evict_each_other()
    {
        var rules = BotRules.Parse("ua crawler\nip 10.0.0.0/8\n", "test");
        var filter = new BotFilter(rules);
        // Many more distinct agents than the filter remembers, seen again and again, plus one longer than it keeps.
        var agents = Enumerable.Range(0, 2_000)
            .Select(i => Encoding.UTF8.GetBytes(i % 7 == 0 ? $"Some CRAWLER/{i}" : $"Mozilla/5.0 ({i})"))
            .Append(Encoding.UTF8.GetBytes(new string('a', 300) + "crawler"))
            .ToArray();
        var ip = "192.0.2.1"u8.ToArray();
        for (var round = 0; round < 3; round++)
        {
            foreach (var agent in agents)
            {
                Assert.Equal(rules.IsBot(ip, agent), filter.IsBot(ip, agent));
            }
        }

        Assert.True(filter.IsBot("10.1.2.3"u8, "Mozilla/5.0 (1)"u8));
    }
}

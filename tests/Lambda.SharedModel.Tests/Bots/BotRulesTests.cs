using System.Text;
using Lambda.SharedModel.Bots;

namespace Lambda.SharedModel.Tests.Bots;

public sealed class BotRulesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bot-rules-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("198.51.99.255", false)]
    [InlineData("198.51.100.0", true)]
    [InlineData("198.51.100.255", true)]
    [InlineData("198.51.101.0", false)]
    [InlineData("::ffff:198.51.100.9", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("10.1.2.4", false)]
    [InlineData("2001:db8:b07::", true)]
    [InlineData("2001:db8:b07:ffff:ffff:ffff:ffff:ffff", true)]
    [InlineData("2001:db8:b08::", false)]
    [InlineData("2001:db8:b06:ffff:ffff:ffff:ffff:ffff", false)]
    [InlineData("not-an-ip", false)]
    [InlineData("", false)]
    public void ip_matches_inclusive_cidr_edges(string ip, bool bot)
    {
        var rules = BotRules.Parse("ip 198.51.100.0/24\nip 10.1.2.3\nip 2001:db8:b07::/48\n", "test");

        Assert.Equal(bot, rules.IsBot(Encoding.UTF8.GetBytes(ip), "Mozilla/5.0"u8));
    }

    [Theory]
    [InlineData("Mozilla/5.0 (compatible; Googlebot/2.1)", true)]
    [InlineData("MOZILLA/5.0 (COMPATIBLE; BINGBOT/2.0)", true)]
    [InlineData("Mozilla/5.0 HeadlessChrome/120", true)]
    [InlineData("python-requests/2.31", true)]
    [InlineData("curl/8.5.0", true)]
    [InlineData("Wget/1.21", true)]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120 Safari/537.36", false)]
    [InlineData("Mözilla Ünïcode SPIDER", true)]
    [InlineData("Ünïcode-only-Bör", false)]
    // Only ASCII letters fold: dotless i, long s and the Kelvin sign are not i, s and k (as in the SQL translate()).
    [InlineData("Mozilla spıder", false)]
    [InlineData("Mozilla ſpider", false)]
    [InlineData("o\u212Ahttp/4.0", false)]
    [InlineData("sp\u0130der", false)]
    [InlineData("OKHTTP/4.0", true)]
    [InlineData("", false)]
    public void default_user_agent_rules_match_case_insensitively(string userAgent, bool bot)
    {
        Assert.Equal(bot, BotRules.Default.IsBot("192.0.2.1"u8, Encoding.UTF8.GetBytes(userAgent)));
    }

    [Fact]
    public void user_agent_longer_than_the_stack_buffer_is_matched()
    {
        var userAgent = new string('x', 5000) + "SpIdEr";

        Assert.True(BotRules.Default.IsBotUserAgent(Encoding.UTF8.GetBytes(userAgent)));
        Assert.False(BotRules.Default.IsBotUserAgent(Encoding.UTF8.GetBytes(new string('x', 5000))));
    }

    [Fact]
    public void default_rules_hold_the_documentation_blocks_and_crawler_names()
    {
        var rules = BotRules.Default;

        Assert.Contains((IpKey.Parse("198.51.100.0"), IpKey.Parse("198.51.100.255")), rules.IpRanges);
        Assert.Contains("bot", rules.UserAgentSubstrings);
        Assert.Contains("python-requests", rules.UserAgentSubstrings);
        Assert.All(rules.UserAgentSubstrings, s => Assert.Equal(s.ToLowerInvariant(), s));
        Assert.False(rules.IsBot("192.0.2.1"u8, "Mozilla/5.0"u8));
    }

    [Fact]
    public void default_file_is_copied_next_to_the_binaries_and_equals_the_embedded_rules()
    {
        var fromFile = BotRules.Load(BotRules.DefaultFilePath);

        Assert.Equal(BotRules.Default.IpRanges, fromFile.IpRanges);
        Assert.Equal(BotRules.Default.UserAgentSubstrings, fromFile.UserAgentSubstrings);
    }

    [Fact]
    public void rules_file_with_comments_blank_lines_and_crlf_loads()
    {
        var path = Path.Combine(_dir, "rules.txt");
        File.WriteAllText(path, "# bots\r\n\r\n  ip 203.0.113.0/24  \r\nUA  Evil Crawler \r\n\tua SCRAPER\r\nip ::/0\r\n");

        var rules = BotRules.Load(path);

        Assert.Equal(["evil crawler", "scraper"], rules.UserAgentSubstrings);
        // ::/0 covers everything, so it swallows the IPv4 range when merged.
        Assert.Equal([(UInt128.Zero, UInt128.MaxValue)], rules.IpRanges);
        Assert.True(rules.IsBot("8.8.8.8"u8, ""u8));
        Assert.True(rules.IsBot("not-an-ip"u8, "an Evil Crawler!"u8));
    }

    [Fact]
    public void overlapping_and_adjacent_ranges_are_merged()
    {
        var rules = BotRules.Parse("ip 10.0.0.0/25\nip 10.0.0.128/25\nip 10.0.0.7\nip 10.0.2.0/24\n", "test");

        Assert.Equal(
            [(IpKey.Parse("10.0.0.0"), IpKey.Parse("10.0.0.255")), (IpKey.Parse("10.0.2.0"), IpKey.Parse("10.0.2.255"))],
            rules.IpRanges);
        Assert.False(rules.IsBot("10.0.1.0"u8, ""u8));
        Assert.True(rules.IsBot("10.0.2.200"u8, ""u8));
    }

    [Theory]
    [InlineData("ip 198.51.100.7/24", 2, "has host bits set: the network is 198.51.100.0/24")]
    [InlineData("ip 1.2.3.4/33", 2, "is not a prefix length from 0 to 32")]
    [InlineData("ip 2001:db8::/129", 2, "is not a prefix length from 0 to 128")]
    [InlineData("ip 1.2.3.4/-1", 2, "is not a prefix length")]
    [InlineData("ip 1.2.3", 2, "'1.2.3' is not an IPv4 or IPv6 address")]
    [InlineData("ip", 2, "'ip' needs a value")]
    [InlineData("ua", 2, "'ua' needs a value")]
    [InlineData("ua bøt", 2, "must be printable ASCII")]
    [InlineData("agent bot", 2, "unknown rule 'agent'")]
    public void parse_error_names_the_file_and_line(string badLine, int line, string problem)
    {
        var path = Path.Combine(_dir, "bad.txt");
        File.WriteAllText(path, "# first line is fine\n" + badLine + "\nua ok\n");

        var error = Assert.Throws<FormatException>(() => BotRules.Load(path));

        Assert.StartsWith($"{path}:{line}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void empty_rules_match_nothing()
    {
        Assert.False(BotRules.Empty.IsBot("198.51.100.1"u8, "Googlebot"u8));
        Assert.Empty(BotRules.Parse("# nothing\n\n", "empty").IpRanges);
    }
}

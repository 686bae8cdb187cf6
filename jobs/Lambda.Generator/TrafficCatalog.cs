using System.Text;
using Lambda.Generator.Json;
using Lambda.Generator.Randomness;

namespace Lambda.Generator;

/// <summary>
/// The fixed universe of a run: campaign, ad and advertiser ids (drawn from the seed), and the
/// per-user id, IP and user agent (hashed from the user index, so a million users cost no memory).
/// </summary>
internal sealed class TrafficCatalog
{
    /// <summary>Distinct bot identities; their IPs cycle through 198.51.100.1-254.</summary>
    public const int BotUsers = 200;

    public const int YsbPlacement = 6;

    private static readonly byte[][] PlacementBytes =
        ToUtf8(["header", "sidebar", "feed", "interstitial", "footer", "video-preroll", "ysb"]);

    private static readonly byte[][] HumanAgents = ToUtf8(
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51",
        "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    ]);

    // Every bot agent contains a lowercase "bot", "crawler" or "headless" token.
    private static readonly byte[][] BotAgents = ToUtf8(
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "AdsCrawler/1.3 (+https://example.com/crawler)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) headless-chrome/124.0.0.0 Safari/537.36",
        "python-requests/2.31 clickbot/0.9",
    ]);

    private readonly byte[] _campaignIds;
    private readonly byte[] _adIds;
    private readonly byte[] _advertiserIds;
    private readonly ulong _userSalt;
    private readonly ulong _botSalt;

    public TrafficCatalog(GeneratorOptions options, ref Xoshiro256StarStar rng)
    {
        Campaigns = options.Campaigns;
        AdsPerCampaign = options.AdsPerCampaign;
        Advertisers = options.Advertisers;
        Ads = Campaigns * AdsPerCampaign;
        _advertiserIds = DrawIds(Advertisers, ref rng);
        _campaignIds = DrawIds(Campaigns, ref rng);
        _adIds = DrawIds(Ads, ref rng);
        CampaignBaseCostMicros = new long[Campaigns];
        for (var c = 0; c < Campaigns; c++)
        {
            // CPM between $0.50 and $10: 500..10,000 micros per impression.
            CampaignBaseCostMicros[c] = 500 + rng.NextInt(9_501);
        }

        _userSalt = rng.NextUInt64();
        _botSalt = rng.NextUInt64();
    }

    public int Campaigns { get; }
    public int AdsPerCampaign { get; }
    public int Ads { get; }
    public int Advertisers { get; }
    public long[] CampaignBaseCostMicros { get; }
    public static int Placements => PlacementBytes.Length - 1;

    public ReadOnlySpan<byte> CampaignId(int campaign) => _campaignIds.AsSpan(campaign * Utf8Uuid.Length, Utf8Uuid.Length);
    public ReadOnlySpan<byte> AdId(int ad) => _adIds.AsSpan(ad * Utf8Uuid.Length, Utf8Uuid.Length);
    public ReadOnlySpan<byte> AdvertiserId(int advertiser) => _advertiserIds.AsSpan(advertiser * Utf8Uuid.Length, Utf8Uuid.Length);
    public int AdvertiserOf(int campaign) => campaign % Advertisers;
    public int CampaignOf(int ad) => ad / AdsPerCampaign;
    public static ReadOnlySpan<byte> Placement(int index) => PlacementBytes[index];

    public void WriteUserId(int user, bool bot, Span<byte> dest)
    {
        var h = SplitMix64.Mix((bot ? _botSalt : _userSalt) + (ulong)user * 0x9E3779B97F4A7C15UL);
        var (high, low) = Utf8Uuid.Stamp(h, SplitMix64.Mix(h ^ 0xD1B54A32D192ED03UL));
        Utf8Uuid.Write(high, low, dest);
    }

    /// <summary>Writes the user's IP; humans never get 198.x, bots always get 198.51.100.1-254.</summary>
    public int WriteIp(int user, bool bot, Span<byte> dest)
    {
        int a, b, c, d;
        if (bot)
        {
            (a, b, c, d) = (198, 51, 100, 1 + (user % 254));
        }
        else
        {
            var h = SplitMix64.Mix(_userSalt ^ ((ulong)user + 0x632BE59BD9B4E019UL));
            a = 11 + (int)(h % 180);
            a = a == 127 ? 128 : a;
            b = (int)((h >> 16) & 0xFF);
            c = (int)((h >> 24) & 0xFF);
            d = 1 + (int)((h >> 32) % 254);
        }

        var n = WriteByte(a, dest);
        dest[n++] = (byte)'.';
        n += WriteByte(b, dest[n..]);
        dest[n++] = (byte)'.';
        n += WriteByte(c, dest[n..]);
        dest[n++] = (byte)'.';
        n += WriteByte(d, dest[n..]);
        return n;
    }

    public ReadOnlySpan<byte> UserAgent(int user, bool bot)
    {
        if (bot)
        {
            return BotAgents[user % BotAgents.Length];
        }

        var h = SplitMix64.Mix(_userSalt + (ulong)user);
        return HumanAgents[(int)(h % (ulong)HumanAgents.Length)];
    }

    public static string Utf8String(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    private static int WriteByte(int value, Span<byte> dest)
    {
        if (value >= 100)
        {
            dest[0] = (byte)('0' + (value / 100));
            dest[1] = (byte)('0' + (value / 10 % 10));
            dest[2] = (byte)('0' + (value % 10));
            return 3;
        }

        if (value >= 10)
        {
            dest[0] = (byte)('0' + (value / 10));
            dest[1] = (byte)('0' + (value % 10));
            return 2;
        }

        dest[0] = (byte)('0' + value);
        return 1;
    }

    private static byte[] DrawIds(int count, ref Xoshiro256StarStar rng)
    {
        var ids = new byte[count * Utf8Uuid.Length];
        for (var i = 0; i < count; i++)
        {
            var (high, low) = Utf8Uuid.Stamp(rng.NextUInt64(), rng.NextUInt64());
            Utf8Uuid.Write(high, low, ids.AsSpan(i * Utf8Uuid.Length));
        }

        return ids;
    }

    private static byte[][] ToUtf8(string[] values) => [.. values.Select(Encoding.UTF8.GetBytes)];
}

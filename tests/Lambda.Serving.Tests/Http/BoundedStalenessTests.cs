using System.Net;
using System.Text.Json;
using Lambda.Serving.Http;
using Lambda.SharedModel.Views;
using Lambda.Store.Sqlite;
using static Lambda.Serving.Tests.Http.ServingWorld;

namespace Lambda.Serving.Tests.Http;

/// <summary>The answer cache with a generation max age: writes show up within the bound, never before.</summary>
public class BoundedStalenessTests : ApiTest
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    protected override ServingOptions Options
    {
        get
        {
            var options = ServingFactory.TestOptions();
            options.SpeedCacheDuration = TimeSpan.FromMinutes(1);
            options.GenerationMaxAge = TimeSpan.FromMilliseconds(100);
            return options;
        }
    }

    [Fact]
    public async Task a_speed_flush_from_another_process_becomes_visible_and_not_before_the_write()
    {
        var url = Metrics("camp-a", D + (10 * H), D + (12 * H), "hour");
        var client = Client(World.AdvertiserAKey);
        var before = await TotalImpressions(client, url);
        var repeated = await TotalImpressions(client, url);
        await using (var writer = new SqliteViewStore(World.Store.DatabasePath))
        {
            await writer.UpsertSpeedRowsAsync([new SpeedViewRow("camp-a", D + (10 * H), 5, Impressions(1000), [], false)]);
        }

        var seen = await PollAsync(client, url, answer => answer.GetProperty("totals").GetProperty("impressions").GetInt64() == 1240,
            answer => Assert.Contains(answer.GetProperty("totals").GetProperty("impressions").GetInt64(), new long[] { 240, 1240 }));

        Assert.Equal(240, before);
        Assert.Equal(240, repeated);
        Assert.Equal("camp-a", seen.GetProperty("campaign_id").GetString());
    }

    [Fact]
    public async Task a_batch_flip_becomes_visible_and_no_answer_mixes_versions()
    {
        var url = Metrics("camp-a", D + (8 * H), D + (10 * H), "hour");
        var client = Client(World.AdvertiserAKey);
        var before = await TotalImpressions(client, url);
        await World.Store.CreateBatchVersionAsync(new BatchVersionInfo(2, W, DateTimeOffset.UtcNow, "{}", 0, BatchVersionStates.Loading));
        await World.Store.AppendBatchRowsAsync(2,
        [
            new BatchViewRow("camp-a", "hour", D + (8 * H), Impressions(700), 70, []),
            new BatchViewRow("camp-a", "hour", D + (9 * H), Impressions(700), 70, []),
        ]);
        await World.Store.MarkBatchVersionReadyAsync(2, 2);
        await World.Store.SetCurrentBatchVersionAsync(2);

        var seen = await PollAsync(client, url, answer => answer.GetProperty("batch_version").GetInt64() == 2,
            answer => Assert.Equal(answer.GetProperty("batch_version").GetInt64() == 2 ? 1400 : 1200,
                answer.GetProperty("totals").GetProperty("impressions").GetInt64()));

        Assert.Equal(1200, before);
        Assert.Equal(1400, seen.GetProperty("totals").GetProperty("impressions").GetInt64());
    }

    [Fact]
    public async Task while_writes_land_an_answer_is_never_another_advertisers()
    {
        var campA = Metrics("camp-a", D + (10 * H), D + (12 * H), "hour");
        var campB = Metrics("camp-b", D + (8 * H), D + (10 * H), "hour");
        var a = Client(World.AdvertiserAKey);
        var b = Client(World.AdvertiserBKey);
        var answers = new List<(string Asked, JsonElement Answer)>();

        for (var i = 1; i <= 20; i++)
        {
            await World.Store.UpsertSpeedRowsAsync([new SpeedViewRow("camp-a", D + (10 * H), 5, Impressions(i), [], false)]);
            var round = await Task.WhenAll(
                Answer(a, campA, "camp-a"), Answer(b, campB, "camp-b"), Answer(a, campA, "camp-a"), Answer(b, campB, "camp-b"));
            answers.AddRange(round);
            var stranger = await b.GetAsync(campA);
            Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
            Assert.DoesNotContain("impressions", await stranger.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(80, answers.Count);
        Assert.All(answers, x => Assert.Equal(x.Asked, x.Answer.GetProperty("campaign_id").GetString()));
        Assert.All(answers.Where(x => x.Asked == "camp-b"), x => Assert.Equal(77, x.Answer.GetProperty("totals").GetProperty("impressions").GetInt64()));
        Assert.All(answers.Where(x => x.Asked == "camp-a"), x => Assert.InRange(x.Answer.GetProperty("totals").GetProperty("impressions").GetInt64(), 241, 260));
    }

    private static async Task<(string, JsonElement)> Answer(HttpClient client, string url, string asked) =>
        (asked, await JsonOf(await client.GetAsync(url)));

    private static async Task<long> TotalImpressions(HttpClient client, string url) =>
        (await JsonOf(await client.GetAsync(url))).GetProperty("totals").GetProperty("impressions").GetInt64();

    /// <summary>Asks until <paramref name="visible"/> holds, checking every answer on the way.</summary>
    private static async Task<JsonElement> PollAsync(HttpClient client, string url, Func<JsonElement, bool> visible, Action<JsonElement> everyAnswer)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var answer = await JsonOf(await client.GetAsync(url, timeout.Token));
            everyAnswer(answer);
            if (visible(answer))
            {
                return answer;
            }
            await Task.Delay(10, timeout.Token);
        }
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Lambda.Cli.Tests;

/// <summary>
/// A request id end to end, on the embedded log with the real `lambda run`: a served event that the API
/// accepts (it decodes) but the speed layer dead-letters (its campaign belongs to another advertiser) is
/// found by its request id in `lambda tail dead-letters`, as is its source record in `lambda tail ad-served`.
/// </summary>
public sealed class RequestIdEndToEndTests : IDisposable
{
    private readonly TempDirectory _dataDir = new();

    [Fact]
    public async Task a_bad_event_is_followed_by_its_request_id_from_the_post_to_its_dead_letter()
    {
        var (code, key, error) = await CliRunner.RunAsync("keys", "create", "--admin", "--data-dir", _dataDir.Path);
        Assert.True(code == 0, error);
        var url = $"http://127.0.0.1:{SplitApi.FreePort()}";
        using var lambda = new LambdaProcess("run", "--data-dir", _dataDir.Path, "--urls", url, "--no-scheduler", "--partitions", "2");
        await lambda.WaitForLineAsync("lambda run: dashboard and API on", 120);
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Trim());

        // The same ad, so one partition sees the claim first: adv-1 owns camp-rq, then adv-2 names it.
        var claim = await PostAsync(http, Served("e-claim", "adv-1"), "claim-1");
        var misnamed = await PostAsync(http, Served("e-misnamed", "adv-2"), "misnamed-1");

        Assert.Equal((1, 0, "claim-1"), claim);
        Assert.Equal((1, 0, "misnamed-1"), misnamed);
        var letter = await DeadLetterLineAsync("request-id=misnamed-1");
        var json = JsonDocument.Parse(letter[letter.IndexOf('{', StringComparison.Ordinal)..]).RootElement;
        Assert.Equal("campaign_owner_mismatch", json.GetProperty("reason").GetString());
        Assert.Contains("e-misnamed", json.GetProperty("original").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("speed:ad-served[", json.GetProperty("source").GetString(), StringComparison.Ordinal);

        var (_, served, _) = await CliRunner.RunAsync("tail", "ad-served", "--data-dir", _dataDir.Path);
        Assert.Contains(served.Split('\n'), l => l.Contains(" request-id=claim-1 ad-rq {", StringComparison.Ordinal));
        Assert.Contains(served.Split('\n'), l => l.Contains(" request-id=misnamed-1 ad-rq {", StringComparison.Ordinal));
        var (_, letters, _) = await CliRunner.RunAsync("tail", "dead-letters", "--data-dir", _dataDir.Path);
        Assert.DoesNotContain("claim-1", letters, StringComparison.Ordinal);
        Assert.Equal(0, await lambda.StopAsync(60));
    }

    private static async Task<(long Accepted, long Rejected, string? RequestId)> PostAsync(HttpClient http, string body, string requestId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Request-Id", requestId);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal([requestId], response.Headers.GetValues("X-Request-Id"));
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (answer.GetProperty("accepted").GetInt64(), answer.GetProperty("rejected").GetInt64(), answer.GetProperty("request_id").GetString());
    }

    private static string Served(string eventId, string advertiser)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return $$"""[{"type":"served","event_id":"{{eventId}}","ad_id":"ad-rq","campaign_id":"camp-rq","advertiser_id":"{{advertiser}}","user_id":"u","ip":"10.0.0.1","user_agent":"Mozilla/5.0","placement":"top","score":0.5,"cost_micros":1,"event_time":{{now}}}]""";
    }

    /// <summary>The `lambda tail dead-letters` line holding <paramref name="text"/>, once the speed layer has written it.</summary>
    private async Task<string> DeadLetterLineAsync(string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var (code, output, error) = await CliRunner.RunAsync("tail", "dead-letters", "--data-dir", _dataDir.Path, "--limit", "1000");
            Assert.True(code == 0, error);
            if (output.Split('\n').FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } line)
            {
                return line;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no dead letter with '{text}' within 60 s:\n{output}");
            await Task.Delay(500);
        }
    }

    public void Dispose() => _dataDir.Dispose();
}

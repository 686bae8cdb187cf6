using System.Net;
using System.Text;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Ingestion;
using Lambda.SharedModel.Log;

namespace Lambda.Serving.Tests.Http;

/// <summary>
/// POST /v1/events gives each request an id (the caller's X-Request-Id, else its traceparent's trace-id,
/// else a new one), answers it, errors included, and puts it on every record the request appends.
/// </summary>
public sealed class RequestIdApiTests : ApiTest
{
    private const string TraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    protected override bool Seed => false;

    [Fact]
    public async Task the_callers_x_request_id_is_answered_and_carried_by_every_record_the_request_appends()
    {
        var response = await PostAsync(Body(View("e1"), "{\"type\":\"view\"}", View("e2")), ("X-Request-Id", "order-42"), ("traceparent", TraceParent));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("order-42", HeaderOf(response));
        Assert.Equal("order-42", (await JsonOf(response)).GetProperty("request_id").GetString());
        Assert.Equal(["order-42", "order-42"], await RequestIdsInAsync(Topics.Views));
        Assert.Equal(["order-42"], await RequestIdsInAsync(Topics.DeadLetters));
    }

    [Fact]
    public async Task without_an_x_request_id_the_trace_id_of_the_traceparent_is_the_id()
    {
        var response = await PostAsync(Body(View("e1")), ("traceparent", TraceParent));

        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", HeaderOf(response));
        Assert.Equal(["4bf92f3577b34da6a3ce929d0e0e4736"], await RequestIdsInAsync(Topics.Views));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7")]
    [InlineData("00-00000000000000000000000000000000-00f067aa0ba902b7-01")]
    [InlineData("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")]
    [InlineData("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")]
    public async Task without_a_usable_header_the_api_makes_a_new_id_for_each_request(string? traceparent)
    {
        (string, string)[] headers = traceparent is null ? [] : [("traceparent", traceparent)];

        var first = HeaderOf(await PostAsync(Body(View("e1")), headers));
        var second = HeaderOf(await PostAsync(Body(View("e2")), headers));

        Assert.Matches("^[0-9a-f]{32}$", first);
        Assert.NotEqual("4bf92f3577b34da6a3ce929d0e0e4736", first);
        Assert.NotEqual(first, second);
        Assert.Equal([first, second], await RequestIdsInAsync(Topics.Views));
    }

    [Theory]
    [InlineData("two words")]
    [InlineData("é")]
    public async Task an_x_request_id_that_cannot_be_an_id_is_a_400_naming_the_header_and_nothing_is_appended(string given)
    {
        var response = await PostAsync(Body(View("e1")), ("X-Request-Id", given));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("X-Request-Id", (await JsonOf(response)).GetProperty("field").GetString());
        Assert.Equal(0, await World.RecordsInAsync(Topics.Views));
    }

    [Fact]
    public async Task an_x_request_id_longer_than_128_characters_is_refused()
    {
        var response = await PostAsync(Body(View("e1")), ("X-Request-Id", new string('a', RequestId.MaxLength + 1)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(Body(View("e1")), ("X-Request-Id", new string('a', RequestId.MaxLength)))).StatusCode);
    }

    [Fact]
    public async Task problem_answers_carry_the_id_in_the_header_and_as_request_id()
    {
        var broken = await PostAsync(new StringContent("[{\"type\":", Encoding.UTF8, "application/json"), ("X-Request-Id", "broken-1"));
        var anonymous = await Client().SendAsync(Post(Body(View("e1")), ("X-Request-Id", "anonymous-1")));
        var advertiser = await Client(World.AdvertiserAKey).SendAsync(Post(Body(View("e1")), ("X-Request-Id", "advertiser-1")));

        Assert.Equal(
            [(HttpStatusCode.BadRequest, "broken-1"), (HttpStatusCode.Unauthorized, "anonymous-1"), (HttpStatusCode.Forbidden, "advertiser-1")],
            [(broken.StatusCode, HeaderOf(broken)), (anonymous.StatusCode, HeaderOf(anonymous)), (advertiser.StatusCode, HeaderOf(advertiser))]);
        foreach (var (response, id) in new[] { (broken, "broken-1"), (anonymous, "anonymous-1"), (advertiser, "advertiser-1") })
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(id, (await JsonOf(response)).GetProperty("request_id").GetString());
        }
    }

    [Fact]
    public async Task other_endpoints_have_no_request_id()
    {
        var response = await Client(World.AdminKey).SendAsync(new HttpRequestMessage(HttpMethod.Get, "/v1/status") { Headers = { { "X-Request-Id", "status-1" } } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Request-Id"));
    }

    private Task<HttpResponseMessage> PostAsync(HttpContent body, params (string Name, string Value)[] headers) =>
        Client(World.AdminKey).SendAsync(Post(body, headers));

    private static HttpRequestMessage Post(HttpContent body, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = body };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    private static string? HeaderOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Request-Id", out var values) ? Assert.Single(values) : null;

    private static StringContent Body(params string[] records) => new("[" + string.Join(",", records) + "]", Encoding.UTF8, "application/json");

    private static string View(string eventId)
    {
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        return $$"""{"type":"view","event_id":"{{eventId}}","ad_id":"ad1","user_id":"u1","ip":"10.0.0.1","user_agent":"Mozilla/5.0","event_time":"{{now}}"}""";
    }

    /// <summary>The request id of every record of <paramref name="topic"/>, partition by partition, in offset order.</summary>
    private async Task<List<string?>> RequestIdsInAsync(string topic)
    {
        var ids = new List<string?>();
        using var reader = World.Log.CreateReader();
        var batch = new RecordBatch();
        for (var p = 0; p < 2; p++)
        {
            await reader.ReadAsync(new TopicPartition(topic, p), 0, batch, 1000, TimeSpan.Zero);
            for (var i = 0; i < batch.Count; i++)
            {
                ids.Add(RequestId.Of(batch[i].Headers));
            }
        }

        return ids;
    }
}

using System.Net;
using System.Text;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;

namespace Lambda.Serving.Tests.Http;

public class EventsApiTests : ApiTest
{
    protected override bool Seed => false;

    [Fact]
    public async Task a_json_array_is_appended_to_the_log_and_bad_records_go_to_dead_letters()
    {
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var served = $$"""{"type":"served","event_id":"e1","ad_id":"ad1","campaign_id":"c1","advertiser_id":"a1","user_id":"u1","ip":"10.0.0.1","user_agent":"Mozilla/5.0","placement":"top","score":0.5,"cost_micros":1000,"event_time":"{{now}}"}""";
        var view = $$"""{"type":"view","event_id":"e2","ad_id":"ad1","user_id":"u1","ip":"10.0.0.1","user_agent":"Mozilla/5.0","event_time":"{{now}}"}""";
        var noUser = $$"""{"type":"click","event_id":"e3","ad_id":"ad1","ip":"10.0.0.1","user_agent":"Mozilla/5.0","event_time":"{{now}}"}""";

        var response = await Client(World.AdminKey).PostAsync("/v1/events", new StringContent($"[{served},{view},{noUser},{{\"type\":\"nope\"}}]", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var json = await JsonOf(response);
        Assert.Equal(2, json.GetProperty("accepted").GetInt64());
        Assert.Equal(2, json.GetProperty("rejected").GetInt64());
        Assert.Equal(1, json.GetProperty("reasons").GetProperty("missing_field").GetInt64());
        Assert.Equal(1, json.GetProperty("reasons").GetProperty("unknown_topic").GetInt64());
        Assert.Equal(1, await World.RecordsInAsync(Topics.Served));
        Assert.Equal(1, await World.RecordsInAsync(Topics.Views));
        Assert.Equal(0, await World.RecordsInAsync(Topics.Clicks));
        Assert.Equal(2, await World.RecordsInAsync(Topics.DeadLetters));
    }

    [Fact]
    public async Task json_lines_are_accepted_too()
    {
        var response = await Client(World.AdminKey).PostAsync("/v1/events", new StringContent("{\"type\":\"served\"}\n\n{\"type\":\"view\"}\n", Encoding.UTF8, "application/x-ndjson"));

        var json = await JsonOf(response);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal((0L, 2L), (json.GetProperty("accepted").GetInt64(), json.GetProperty("rejected").GetInt64()));
    }

    [Fact]
    public async Task a_broken_json_array_is_a_400_naming_the_body()
    {
        var response = await Client(World.AdminKey).PostAsync("/v1/events", new StringContent("[{\"type\":", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("body", (await JsonOf(response)).GetProperty("field").GetString());
    }
}

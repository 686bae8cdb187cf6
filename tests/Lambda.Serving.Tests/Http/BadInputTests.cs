using System.Net;

namespace Lambda.Serving.Tests.Http;

public class BadInputTests : ApiTest
{
    [Theory]
    [InlineData("from=yesterday&to=2026-11-23T10:00:00Z&granularity=hour", "from")]
    [InlineData("to=2026-11-23T10:00:00Z&granularity=hour", "from")]
    [InlineData("from=2026-11-23T10:00:00Z&to=2026-11-23T25:00:00Z&granularity=hour", "to")]
    [InlineData("from=2026-11-23T10:00:00Z&to=2026-11-23T10:00:00Z&granularity=hour", "to")]
    [InlineData("from=2026-11-23T10:00:00Z&to=2026-11-22T10:00:00Z&granularity=hour", "to")]
    [InlineData("from=2026-11-01T00:00:00Z&to=2026-11-09T00:00:00Z&granularity=minute", "to")]
    [InlineData("from=2026-01-01T00:00:00Z&to=2026-06-01T00:00:00Z&granularity=hour", "to")]
    [InlineData("from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&granularity=day", "to")]
    [InlineData("from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z&granularity=week", "granularity")]
    [InlineData("from=2026-11-23T10:00:00&to=2026-11-24T00:00:00Z", "from")]
    // Past the calendar's edges (issue 21: a 500 from ApiTime.FromMs); more in CalendarEdgeTests.
    [InlineData("from=9999-12-31T00:00:00Z&to=9999-12-31T23:59:30Z&granularity=minute", "to")]
    [InlineData("from=0001-01-01T00:00:00%2B01:00&to=0001-01-02T00:00:00Z&granularity=minute", "from")]
    [InlineData("from=9999-12-30T00:00:00Z&to=9999-12-31T12:00:00-14:00&granularity=minute", "to")]
    public async Task bad_metrics_parameters_are_a_400_problem_naming_the_field(string query, string field)
    {
        var response = await Client(World.AdvertiserAKey).GetAsync("/v1/campaigns/camp-a/metrics?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = await JsonOf(response);
        Assert.Equal(field, json.GetProperty("field").GetString());
        Assert.True(json.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Theory]
    [InlineData("metric=reach&from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z", "metric")]
    [InlineData("metric=clicks&from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z&limit=0", "limit")]
    [InlineData("metric=clicks&from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z&limit=101", "limit")]
    [InlineData("metric=ctr&from=2026-11-24T00:00:00Z&to=2026-11-23T00:00:00Z", "to")]
    public async Task bad_top_parameters_are_a_400_problem_naming_the_field(string query, string field)
    {
        var response = await Client(World.AdvertiserAKey).GetAsync("/v1/campaigns/top?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await JsonOf(response)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task an_unknown_path_is_a_404_problem()
    {
        var response = await Client(World.AdminKey).GetAsync("/v1/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task the_range_is_widened_to_whole_buckets()
    {
        var json = await JsonOf(await Client(World.AdvertiserAKey).GetAsync(
            "/v1/campaigns/camp-a/metrics?from=2026-11-23T08:30:00Z&to=2026-11-23T09:10:00Z&granularity=hour"));

        Assert.Equal("2026-11-23T08:00:00Z", json.GetProperty("from").GetString());
        Assert.Equal("2026-11-23T10:00:00Z", json.GetProperty("to").GetString());
        Assert.Equal(2, json.GetProperty("rows").GetArrayLength());
    }
}

using System.Net;
using FsCheck;
using FsCheck.Fluent;

namespace Lambda.Serving.Tests.Http;

/// <summary>
/// Times the parser accepts at the calendar's edges (years 1 and 9999, leap days, month ends) with
/// every kind of offset: each is a 200 or a 400 naming the time, never a 500 (an offset used to push
/// a valid-looking time outside what the answer's times can hold).
/// </summary>
public class CalendarEdgeTests : ApiTest
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(300);

    private static Gen<string> Time(int year, int month, Gen<int> days) =>
        from day in days
        from hour in Gen.Elements(0, 1, 12, 23)
        from minute in Gen.Elements(0, 30, 59)
        from second in Gen.Elements("00", "30", "59", "59.999", "00.5")
        from zone in Gen.Elements("Z", "+00:00", "+01:00", "-01:00", "+14:00", "-14:00", "+23:59", "-23:59", "+05:30", "-0930")
        from dateOnly in Gen.Elements(false, false, false, true)
        select dateOnly ? $"{year:D4}-{month:D2}-{day:D2}" : $"{year:D4}-{month:D2}-{day:D2}T{hour:D2}:{minute:D2}:{second}{zone}";

    private static Gen<string> AnyTime =>
        from year in Gen.OneOf(Gen.Elements(1, 2, 1969, 1970, 2000, 2026, 9998, 9999), Gen.Choose(1, 9999))
        from month in Gen.Elements(1, 2, 12)
        from time in Time(year, month, Gen.Elements(1, 28, 29, 30, 31))
        select time;

    /// <summary>
    /// Pairs around the first days of year 1, around the last days of 9999 (so many ranges are valid and
    /// an offset can cross the edge), or anywhere.
    /// </summary>
    private static readonly Gen<(string From, string To)> Pairs = Gen.OneOf(
        from f in Time(1, 1, Gen.Elements(1, 2)) from t in Time(1, 1, Gen.Elements(1, 2, 3)) select (f, t),
        from f in Time(9999, 12, Gen.Elements(29, 30, 31)) from t in Time(9999, 12, Gen.Elements(30, 31)) select (f, t),
        from f in AnyTime from t in AnyTime select (f, t));

    private static readonly string[] Urls =
    [
        "/v1/campaigns/camp-a/metrics?granularity=minute&",
        "/v1/campaigns/camp-a/metrics?granularity=hour&",
        "/v1/campaigns/camp-a/metrics?granularity=day&",
        "/v1/campaigns/top?metric=clicks&",
    ];

    [Fact]
    public void every_accepted_time_at_the_calendar_edges_is_a_200_or_a_400_naming_it()
    {
        var client = Client(World.AdvertiserAKey);
        Prop.ForAll(Pairs.ToArbitrary(), Gen.Elements(Urls).ToArbitrary(), (pair, url) =>
            {
                var request = url + "from=" + Uri.EscapeDataString(pair.From) + "&to=" + Uri.EscapeDataString(pair.To);
                AssertOkOrBadTime(client, request);
                return true;
            })
            .Check(Runs);
    }

    [Theory]
    [InlineData("from=0001-01-01T00:00:00Z&to=0001-01-01T01:00:00Z&granularity=minute")]
    [InlineData("from=0001-01-01T00:30:00-01:00&to=0001-01-02&granularity=hour")]
    [InlineData("from=9999-12-01&to=9999-12-31&granularity=day")]
    [InlineData("from=9999-12-30T23:00:00Z&to=9999-12-31T00:00:00Z&granularity=minute")]
    public async Task the_first_and_last_supported_days_answer(string range)
    {
        var response = await Client(World.AdvertiserAKey).GetAsync("/v1/campaigns/camp-a/metrics?" + range);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static void AssertOkOrBadTime(HttpClient client, string request)
    {
        using var response = client.GetAsync(request).GetAwaiter().GetResult();
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return;
        }
        var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} for {request}: {body}");
        var field = JsonOf(response).GetAwaiter().GetResult().GetProperty("field").GetString();
        Assert.True(field is "from" or "to", $"400 naming '{field}' for {request}");
    }
}

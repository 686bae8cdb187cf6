using System.Net;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;

namespace Lambda.Serving.Tests.Http;

/// <summary>
/// Hostile values in every path id, query parameter and POST body: never a 500; every error is a 4xx
/// ProblemDetails naming the field at fault; nothing of another advertiser's comes back.
/// </summary>
public class ApiFuzzTests : ApiTest
{
    private const string Range = "from=2026-11-23T08:00:00Z&to=2026-11-23T12:00:00Z";
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(150);

    /// <summary>Asserts a 4xx problem naming <paramref name="field"/> and returns the status.</summary>
    private static async Task<HttpStatusCode> AssertProblemAsync(HttpResponseMessage response, string field, string request)
    {
        var status = (int)response.StatusCode;
        Assert.True(status is >= 400 and < 500, $"{status} for {Trim(request)}: {Trim(await response.Content.ReadAsStringAsync())}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = await JsonOf(response);
        Assert.Equal(status, json.GetProperty("status").GetInt32());
        Assert.Equal(field, json.GetProperty("field").GetString());
        return response.StatusCode;
    }

    private static string Trim(string text) => text.Length > 300 ? text[..300] + "…" : text;

    /// <summary>adv-b's ids never appear, unless the request itself sent them and an error echoes them back.</summary>
    private static void AssertNoOtherAdvertisersData(string body, byte[] sent)
    {
        var echoed = Encoding.UTF8.GetString(sent);
        foreach (var marker in new[] { "adv-b", "camp-b" })
        {
            if (!echoed.Contains(marker, StringComparison.Ordinal))
            {
                Assert.DoesNotContain(marker, body, StringComparison.Ordinal);
            }
        }

        Assert.DoesNotContain("\"impressions\":77", body, StringComparison.Ordinal);
    }

    [Fact]
    public void hostile_campaign_ids_in_the_path_are_a_404_or_400_naming_the_id()
    {
        var client = Client(World.AdvertiserAKey);
        // A NUL in the path never reaches the app: the server's URL decoder refuses it (Kestrel: 400;
        // KestrelPathTests sends it raw), and the in-memory test client throws before sending.
        Prop.ForAll(HostileInput.RawBytes.Select(b => b.Where(x => x != 0).ToArray()).ToArbitrary(), raw =>
            {
                var url = $"/v1/campaigns/{HostileInput.Escape(raw)}/metrics?{Range}&granularity=hour";
                using var response = client.GetAsync(url).GetAwaiter().GetResult();
                var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
                AssertNoOtherAdvertisersData(body, raw);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    // Only adv-a's own campaigns answer.
                    Assert.Contains(Encoding.UTF8.GetString(raw), new[] { "camp-a", "camp-a2" });
                    return true;
                }

                var text = Encoding.UTF8.GetString(raw);
                if (text.Length == 0 || text.Contains('/', StringComparison.Ordinal) || text.Trim('.').Length == 0)
                {
                    // Path structure, not an id: no route matches (or another one does); still never a 500 or data.
                    Assert.True((int)response.StatusCode is >= 400 and < 500, $"{response.StatusCode} for {Trim(url)}");
                    return true;
                }

                var status = AssertProblemAsync(response, "id", url).GetAwaiter().GetResult();
                Assert.True(status is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{status} for {Trim(url)}");
                return true;
            })
            .Check(Runs);
    }

    public static TheoryData<string, string> QueryFields() => new()
    {
        { "/v1/campaigns/camp-a/metrics?" + Range + "&granularity=hour", "from" },
        { "/v1/campaigns/camp-a/metrics?" + Range + "&granularity=hour", "to" },
        { "/v1/campaigns/camp-a/metrics?" + Range + "&granularity=hour", "granularity" },
        { "/v1/campaigns/top?metric=clicks&" + Range, "metric" },
        { "/v1/campaigns/top?metric=clicks&" + Range, "from" },
        { "/v1/campaigns/top?metric=clicks&" + Range, "to" },
        { "/v1/campaigns/top?metric=clicks&" + Range + "&limit=5", "limit" },
    };

    [Theory]
    [MemberData(nameof(QueryFields))]
    public void hostile_query_values_are_a_400_naming_the_parameter(string baseUrl, string field)
    {
        var client = Client(World.AdvertiserAKey);
        Prop.ForAll(HostileInput.RawBytes.ToArbitrary(), raw =>
            {
                var url = Replace(baseUrl, field, HostileInput.Escape(raw));
                using var response = client.GetAsync(url).GetAwaiter().GetResult();
                AssertNoOtherAdvertisersData(response.Content.ReadAsStringAsync().GetAwaiter().GetResult(), raw);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Assert.Equal(HttpStatusCode.BadRequest, AssertProblemAsync(response, field, url).GetAwaiter().GetResult());
                }

                return true;
            })
            .Check(Runs);
    }

    [Theory]
    [InlineData("from")]
    [InlineData("granularity")]
    public async Task a_repeated_parameter_is_a_400_naming_it_not_a_500(string field)
    {
        var url = "/v1/campaigns/camp-a/metrics?" + Range + "&granularity=hour&" + field + "=" + (field == "from" ? "2026-11-23T09:00:00Z" : "day");

        var response = await Client(World.AdvertiserAKey).GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, await AssertProblemAsync(response, field, url));
    }

    private static string Replace(string url, string field, string value)
    {
        var at = url.IndexOf(field + "=", StringComparison.Ordinal);
        var end = url.IndexOf('&', at);
        return url[..(at + field.Length + 1)] + value + (end < 0 ? "" : url[end..]);
    }

    private static readonly Gen<string> Bodies = Gen.OneOf(
        // Whole bodies: hostile text as is, as a JSON string, in an array.
        HostileInput.Text,
        HostileInput.Text.Select(t => JsonSerializer.Serialize(t)),
        HostileInput.Text.Select(t => "[" + JsonSerializer.Serialize(t) + "]"),
        // A valid view with one field replaced by a hostile string or a value of the wrong type.
        from field in Gen.Elements("type", "event_id", "ad_id", "user_id", "ip", "user_agent", "event_time")
        from value in Gen.OneOf(
            HostileInput.Text.Select(t => JsonSerializer.Serialize(t)),
            Gen.Elements("17", "-1", "1e309", "true", "null", "[]", "{}", "[[[[[[[[]]]]]]]]", "{\"$gt\":\"\"}"),
            HostileInput.Text)
        from asArray in Gen.Elements(true, false)
        select asArray ? "[" + View(field, value) + "]" : View(field, value) + "\n" + View(field, value),
        // Deep nesting as the body and inside a record.
        from depth in Gen.Elements(65, 1_000, 50_000)
        select "[" + new string('[', depth) + new string(']', depth) + "]",
        from depth in Gen.Elements(65, 1_000)
        select "[{\"type\":\"view\",\"x\":" + new string('[', depth) + new string(']', depth) + "}]");

    private static string View(string field, string value)
    {
        var fields = new Dictionary<string, string>
        {
            ["type"] = "\"view\"",
            ["event_id"] = "\"e1\"",
            ["ad_id"] = "\"ad1\"",
            ["user_id"] = "\"u1\"",
            ["ip"] = "\"10.0.0.1\"",
            ["user_agent"] = "\"Mozilla/5.0\"",
            ["event_time"] = "\"2026-11-23T10:00:00Z\"",
        };
        fields[field] = value;
        return "{" + string.Join(",", fields.Select(f => $"\"{f.Key}\":{f.Value}")) + "}";
    }

    [Fact]
    public void hostile_event_bodies_are_accepted_with_reasons_or_a_400_naming_the_body()
    {
        var client = Client(World.AdminKey);
        Prop.ForAll(Bodies.ToArbitrary(), body =>
            {
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = client.PostAsync("/v1/events", content).GetAwaiter().GetResult();
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    var json = JsonOf(response).GetAwaiter().GetResult();
                    var rejected = json.GetProperty("rejected").GetInt64();
                    var reasons = json.GetProperty("reasons").EnumerateObject().Sum(r => r.Value.GetInt64());
                    // Every rejection is counted under a reason code.
                    Assert.Equal(rejected, reasons);
                    return true;
                }

                Assert.Equal(HttpStatusCode.BadRequest, AssertProblemAsync(response, "body", Trim(body)).GetAwaiter().GetResult());
                return true;
            })
            .Check(Runs);
    }

    [Fact]
    public async Task invalid_utf8_bodies_never_give_a_500()
    {
        var client = Client(World.AdminKey);
        byte[][] bodies = [[0xFF, 0xFE], [(byte)'[', 0xC0, 0xAF, (byte)']'], [(byte)'[', (byte)'"', 0xED, 0xA0, 0x80, (byte)'"', (byte)']'],
            [.. "{\"type\":\"view\",\"ad_id\":\""u8, 0xFF, .. "\"}"u8], [0]];
        foreach (var body in bodies)
        {
            using var content = new ByteArrayContent(body);
            var response = await client.PostAsync("/v1/events", content);

            Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.BadRequest, $"{response.StatusCode} for {Convert.ToHexString(body)}");
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                await AssertProblemAsync(response, "body", Convert.ToHexString(body));
            }
        }
    }
}

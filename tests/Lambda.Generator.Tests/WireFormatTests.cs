using System.Text;
using Lambda.Generator;
using Lambda.SharedModel.Events;

namespace Lambda.Generator.Tests;

public sealed class WireFormatTests
{
    [Fact]
    public void first_served_and_view_records_of_seed_1_are_frozen()
    {
        var generator = new TrafficGenerator(new GeneratorOptions { Seed = 1 });
        var buffer = new byte[TrafficGenerator.MaxRecordBytes];
        var first = new Dictionary<EventKind, string>();
        while (first.Count < 2 && generator.TryNext(out var e))
        {
            if (!first.ContainsKey(e.Kind))
            {
                first[e.Kind] = Encoding.UTF8.GetString(buffer, 0, generator.WriteJson(e, buffer, includeType: e.Kind == EventKind.View));
            }
        }

        Assert.Equal(
            """{"event_id":"155c646a-1e2d-40f4-a694-6c38376d82aa","ad_id":"4ca6b5d1-05ca-4705-a7b1-a56c095e83ab","campaign_id":"c04ae9f0-1af8-4825-bb74-7617a7e9a1af","advertiser_id":"ddfdb48a-b9ed-4a21-8d3c-db8c3aa5b1d0","user_id":"1d0581db-3aed-4055-b544-83b8dac68889","ip":"132.64.103.87","user_agent":"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36","placement":"footer","score":0.481,"cost_micros":3517,"event_time":1735689599126}""",
            first[EventKind.Served]);
        Assert.Equal(
            """{"type":"view","event_id":"0f301c5d-0a41-40ea-8449-2270727377b5","ad_id":"05ff0f2e-6b39-42df-99cd-9187e7b8b36a","user_id":"3144a32d-cfd1-447f-936d-78805c5bbaf3","ip":"73.101.194.169","user_agent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0","event_time":1735689599325}""",
            first[EventKind.View]);
    }

    [Fact]
    public void every_record_has_the_architecture_fields_in_order_and_matches_its_record_form()
    {
        string[] served = ["type", "event_id", "ad_id", "campaign_id", "advertiser_id", "user_id", "ip", "user_agent", "placement", "score", "cost_micros", "event_time"];
        string[] other = ["type", "event_id", "ad_id", "user_id", "ip", "user_agent", "event_time"];
        var generator = new TrafficGenerator(new GeneratorOptions { Seed = 9, BotShare = 0.2 });
        foreach (var x in Traffic.Generate(generator, 5_000))
        {
            var json = x.Parse();
            var names = json.EnumerateObject().Select(p => p.Name).ToArray();
            Assert.Equal(x.Event.Kind == EventKind.Served ? served : other, names);
            Assert.Equal(x.Event.Kind switch { EventKind.Served => "served", EventKind.View => "view", _ => "click" }, json.GetProperty("type").GetString());

            var record = generator.ToRecord(x.Event);
            Assert.Equal(record.EventId, json.GetProperty("event_id").GetString());
            Assert.Equal(record.AdId, json.GetProperty("ad_id").GetString());
            Assert.Equal(record.UserId, json.GetProperty("user_id").GetString());
            Assert.Equal(record.Ip, json.GetProperty("ip").GetString());
            Assert.Equal(record.UserAgent, json.GetProperty("user_agent").GetString());
            Assert.Equal(record.EventTimeMs, json.GetProperty("event_time").GetInt64());
            Assert.True(Guid.TryParse(record.EventId, out _));
            if (record.Kind == EventKind.Served)
            {
                Assert.Equal(record.CampaignId, json.GetProperty("campaign_id").GetString());
                Assert.Equal(record.CostMicros, json.GetProperty("cost_micros").GetInt64());
                Assert.Equal(record.Score, json.GetProperty("score").GetDouble());
            }
        }
    }

    [Fact]
    public async Task json_lines_file_has_one_typed_record_per_line()
    {
        var dir = Directory.CreateTempSubdirectory("lambda-gen-");
        try
        {
            var path = Path.Combine(dir.FullName, "traffic.jsonl");
            var written = await TrafficJsonLines.WriteAsync(new TrafficGenerator(new GeneratorOptions { Seed = 4 }), path, 10_001);
            var lines = await File.ReadAllLinesAsync(path);

            Assert.Equal(10_001, written);
            Assert.Equal(10_001, lines.Length);
            Assert.Equal(Traffic.Bytes(new GeneratorOptions { Seed = 4 }, 10_001, 999), await File.ReadAllBytesAsync(path));
            Assert.All(lines, l => Assert.StartsWith("{\"type\":\"", l, StringComparison.Ordinal));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}

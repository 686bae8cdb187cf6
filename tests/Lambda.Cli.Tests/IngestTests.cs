using System.Text;
using Lambda.Log.Embedded;
using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;

namespace Lambda.Cli.Tests;

public class IngestTests
{
    private const string Served = """{"type":"served","event_id":"e1","ad_id":"ad-1","campaign_id":"c1","advertiser_id":"a1","user_id":"u1","ip":"192.0.2.1","user_agent":"Mozilla/5.0","placement":"top","score":0.5,"cost_micros":1200,"event_time":"2026-11-21T10:00:00Z"}""";
    private const string View = """{"type":"view","event_id":"e2","ad_id":"ad-1","user_id":"u1","ip":"192.0.2.1","user_agent":"Mozilla/5.0","event_time":1795255200000}""";

    [Fact]
    public async Task valid_lines_reach_their_topics_and_every_bad_line_reaches_dead_letters_with_its_reason()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "events.jsonl");
        await File.WriteAllLinesAsync(file,
        [
            Served,
            View,
            "{not json",
            """{"type":"click","event_id":"e3","user_id":"u1","ip":"192.0.2.1","user_agent":"x","event_time":1795255200000}""",
            """{"type":"purchase","event_id":"e4"}""",
            "",
            """{"type":"view","event_id":"e5","ad_id":"ad-1","user_id":"u1","ip":"192.0.2.1","user_agent":"x","event_time":"1999-12-31T23:59:59Z"}""",
        ]);

        var (code, output, error) = await CliRunner.RunAsync("ingest", file, "--data-dir", dir.Path);

        Assert.True(code == 0, error);
        Assert.Contains("accepted 2, rejected 4", output, StringComparison.Ordinal);
        Assert.Contains("rejected malformed_json: 1", output, StringComparison.Ordinal);
        Assert.Contains("rejected missing_field: 1", output, StringComparison.Ordinal);
        Assert.Contains("rejected unknown_topic: 1", output, StringComparison.Ordinal);
        Assert.Contains("rejected event_time_too_old: 1", output, StringComparison.Ordinal);

        await using var log = EmbeddedEventLog.Open(new EmbeddedLogOptions { RootPath = Path.Combine(dir.Path, "log") });
        Assert.Equal(1, await CountAsync(log, Topics.Served));
        Assert.Equal(1, await CountAsync(log, Topics.Views));
        var letters = await ReadAllAsync(log, Topics.DeadLetters);
        Assert.Equal(4, letters.Count);
        var malformed = letters.Single(l => l.Reason == RejectReason.MalformedJson);
        Assert.Equal(3, malformed.Line);
        Assert.Equal(Path.GetFullPath(file), malformed.Source);
        Assert.Equal("{not json", Encoding.UTF8.GetString(malformed.Original.Span));
        Assert.Equal("ad_id", letters.Single(l => l.Reason == RejectReason.MissingField).Field);
    }

    [Fact]
    public async Task a_fixed_topic_overrides_routing_by_type()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "views.jsonl");
        await File.WriteAllTextAsync(file, View.Replace("\"type\":\"view\",", "", StringComparison.Ordinal) + "\n");

        var (code, output, _) = await CliRunner.RunAsync("ingest", file, "--topic", "ad-views", "--data-dir", dir.Path);

        Assert.Equal(0, code);
        Assert.Contains("accepted 1, rejected 0", output, StringComparison.Ordinal);
    }

    private static async Task<long> CountAsync(IEventLog log, string topic)
    {
        long total = 0;
        for (var p = 0; p < 4; p++)
        {
            total += (await log.GetOffsetsAsync(new TopicPartition(topic, p))).End;
        }

        return total;
    }

    private static async Task<List<DeadLetter>> ReadAllAsync(IEventLog log, string topic)
    {
        var letters = new List<DeadLetter>();
        using var reader = log.CreateReader();
        var batch = new RecordBatch();
        for (var p = 0; p < 4; p++)
        {
            await reader.ReadAsync(new TopicPartition(topic, p), 0, batch, 1000, TimeSpan.Zero);
            for (var i = 0; i < batch.Count; i++)
            {
                letters.Add(DeadLetterCodec.Decode(batch[i].Value));
            }
        }

        return letters;
    }
}

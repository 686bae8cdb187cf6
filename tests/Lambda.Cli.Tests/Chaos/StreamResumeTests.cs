using Lambda.Generator;
using Lambda.Generator.Resume;
using Lambda.Log.Embedded;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Partitioning;

namespace Lambda.Cli.Tests.Chaos;

public sealed class StreamResumeTests
{
    private static readonly GeneratorOptions Stream = new()
    {
        Seed = 3,
        Campaigns = 10,
        AdsPerCampaign = 5,
        Advertisers = 2,
        Users = 1_000,
        EventsPerSecond = 20,
        Duration = TimeSpan.FromMinutes(10),
    };

    [Fact]
    public async Task a_stream_cut_unevenly_across_partitions_resumes_to_exactly_the_whole_stream()
    {
        using var dir = new TempDirectory();
        await using var reference = await OpenAsync(Path.Combine(dir.Path, "reference"));
        await WriteAsync(reference, new TrafficGenerator(Stream), _ => true);
        await using var crashed = await OpenAsync(Path.Combine(dir.Path, "crashed"));
        // A crash mid-flush: the first 5,000 records reached every partition but one, which got only the first 4,000.
        var n = 0;
        await WriteAsync(crashed, new TrafficGenerator(Stream), tp => ++n <= 4_000 || (n <= 5_000 && tp != new TopicPartition(Topics.Served, 1)));

        var resume = await StreamResume.ReadAsync(crashed, new Dictionary<TopicPartition, long>(), default);
        var sent = await WriteAsync(crashed, new TrafficGenerator(Stream), null, resume);

        Assert.False(resume.IsSkipping);
        Assert.True(resume.Skipped is > 4_000 and < 5_000, $"skipped {resume.Skipped}");
        Assert.True(sent > 0);
        foreach (var topic in Topics.EventTopics)
        {
            for (var p = 0; p < 3; p++)
            {
                var tp = new TopicPartition(topic, p);
                Assert.Equal(await ReadAllAsync(reference, tp), await ReadAllAsync(crashed, tp));
            }
        }
    }

    [Fact]
    public async Task a_log_holding_records_of_another_stream_is_refused()
    {
        using var dir = new TempDirectory();
        await using var log = await OpenAsync(dir.Path);
        var n = 0;
        await WriteAsync(log, new TrafficGenerator(Stream with { Seed = 4 }), _ => ++n <= 1_000);

        var resume = await StreamResume.ReadAsync(log, new Dictionary<TopicPartition, long>(), default);

        await Assert.ThrowsAsync<InvalidDataException>(() => WriteAsync(log, new TrafficGenerator(Stream), null, resume));
    }

    private static async Task<EmbeddedEventLog> OpenAsync(string path)
    {
        var log = EmbeddedEventLog.Open(new EmbeddedLogOptions { RootPath = path });
        foreach (var topic in Topics.All)
        {
            await log.CreateTopicAsync(topic, 3);
        }

        return log;
    }

    /// <summary>Writes the stream's records that <paramref name="keep"/> (or <paramref name="resume"/>) lets through; returns how many.</summary>
    private static async Task<long> WriteAsync(IEventLog log, TrafficGenerator generator, Func<TopicPartition, bool>? keep, StreamResume? resume = null)
    {
        await using var producer = log.CreateProducer();
        var batch = new GeneratedBatch(512);
        long written = 0;
        while (generator.NextBatch(batch) > 0)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var topic = batch.Topic(i);
                int partition;
                if (resume is not null)
                {
                    if (!resume.IsNew(topic, batch.Key(i), batch.Value(i), out partition))
                    {
                        continue;
                    }
                }
                else
                {
                    partition = KafkaPartitioner.PartitionFor(batch.Key(i), 3);
                    if (!keep!(new TopicPartition(topic, partition)))
                    {
                        continue;
                    }
                }

                producer.Enqueue(new TopicPartition(topic, partition), batch.Key(i), batch.Value(i), 0);
                written++;
            }

            await producer.FlushAsync();
        }

        return written;
    }

    private static async Task<List<string>> ReadAllAsync(IEventLog log, TopicPartition tp)
    {
        using var reader = log.CreateReader();
        var batch = new RecordBatch(1024);
        var values = new List<string>();
        long offset = 0;
        while (true)
        {
            await reader.ReadAsync(tp, offset, batch, 1024, TimeSpan.Zero);
            if (batch.Count == 0)
            {
                return values;
            }

            for (var i = 0; i < batch.Count; i++)
            {
                values.Add(System.Text.Encoding.UTF8.GetString(batch[i].Value));
            }

            offset = batch.NextOffset;
        }
    }
}

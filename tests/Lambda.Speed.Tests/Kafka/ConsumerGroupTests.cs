using Xunit.Abstractions;

namespace Lambda.Speed.Tests.Kafka;

/// <summary>
/// Speed layers sharing a Kafka log's partitions as one consumer group, against librdkafka's mock
/// cluster (real group protocol: JoinGroup, SyncGroup, heartbeats, LeaveGroup, OffsetCommit).
/// </summary>
public class ConsumerGroupTests(ITestOutputHelper output)
{
    private static readonly int[] AllPartitions = [.. Enumerable.Range(0, KafkaTraffic.Partitions)];

    [Fact]
    public async Task two_members_own_disjoint_partitions_covering_all_and_a_leaving_members_partitions_move_to_the_other()
    {
        using var traffic = new KafkaTraffic();
        using var dir = new TempDirectory("lambda-kgroup");
        var options = Options(dir.Path, "speed-split");

        await using var first = await SpeedMember.StartAsync(traffic, dir.Path, options);
        await WaitUntilAsync(() => first.Owned.SequenceEqual(AllPartitions), "the first member owns every partition", first);

        await using var second = await SpeedMember.StartAsync(traffic, dir.Path, options);
        await WaitUntilAsync(() => first.Owned.Count > 0 && second.Owned.Count > 0
            && first.Owned.Concat(second.Owned).Order().SequenceEqual(AllPartitions), "the two members split the partitions", first, second);
        Assert.Empty(first.Owned.Intersect(second.Owned));
        // Co-partitioned range assignment over 4 partitions and 2 members: 2 each.
        Assert.Equal(2, first.Owned.Count);

        await first.StopAsync();
        await WaitUntilAsync(() => second.Owned.SequenceEqual(AllPartitions), "the remaining member owns every partition", second);
    }

    [Fact]
    public async Task a_member_stopped_mid_stream_hands_its_partitions_over_and_the_views_equal_an_uninterrupted_run()
    {
        const long Records = 20_000;
        using var traffic = new KafkaTraffic();
        using var reference = new TempDirectory("lambda-kgroup-ref");
        using var grouped = new TempDirectory("lambda-kgroup");
        var generator = await traffic.ProduceAsync(TrafficFixture.Clean(seed: 23), Records);
        Assert.Equal(Records, await traffic.RecordsKeptAsync());

        // One process, every partition, never interrupted.
        await using (var single = await SpeedMember.StartAsync(traffic, reference.Path, Options(reference.Path, "speed-reference"), AllPartitions))
        {
            await WaitUntilAsync(async () => await TrafficFixture.ProcessedAsync(reference.Path) >= Records, "the single run caught up", single);
        }

        // Two members of one group: the first starts alone, the second joins (a rebalance moves two
        // partitions to it through their checkpoints), then the first stops mid-stream and the
        // second takes its partitions over from the checkpoints it wrote on revocation.
        var options = Options(grouped.Path, "speed-takeover");
        await using var first = await SpeedMember.StartAsync(traffic, grouped.Path, options);
        await WaitUntilAsync(() => first.Owned.Count == KafkaTraffic.Partitions, "the first member owns every partition", first);
        await using var second = await SpeedMember.StartAsync(traffic, grouped.Path, options);
        await WaitUntilAsync(() => second.Owned.Count > 0 && first.Owned.Count > 0
            && second.Layer.Status.Count == second.Owned.Count && first.Layer.Status.Count == first.Owned.Count,
            "both members run (and have flushed) their share", first, second);
        output.WriteLine($"first owns {string.Join(",", first.Owned)}, second owns {string.Join(",", second.Owned)}; "
            + $"stopping the first with {await TrafficFixture.ProcessedAsync(grouped.Path)} of {Records} records processed as last reported");
        await first.StopAsync();
        await WaitUntilAsync(async () => second.Owned.SequenceEqual(AllPartitions) && await TrafficFixture.ProcessedAsync(grouped.Path) >= Records,
            "the second member took every partition over and caught up", second);
        await second.StopAsync();

        Assert.Equal(Records, await TrafficFixture.ProcessedAsync(grouped.Path));
        var expected = await TrafficFixture.ReadAllSpeedRowsAsync(reference.Path);
        var actual = await TrafficFixture.ReadAllSpeedRowsAsync(grouped.Path);
        SpeedAssert.SameRows(expected, actual);
        SpeedAssert.MatchesOracle(generator.Oracle!.Buckets(), actual.Values);
    }

    private static SpeedOptions Options(string dataDir, string group) => new()
    {
        CheckpointDirectory = Path.Combine(dataDir, "speed"),
        ConsumerGroup = group,
        FlushInterval = TimeSpan.FromMilliseconds(100),
        CheckpointInterval = TimeSpan.FromMilliseconds(300),
        ReadBatchSize = 1000,
        Workers = 2,
        // The Kafka reader's frontier follows the wall clock. A long idle timeout keeps the watermark
        // (and so each row's final flag) a function of the records alone, whatever the pace of the run.
        IdleTimeout = TimeSpan.FromHours(1),
    };

    private static Task WaitUntilAsync(Func<bool> condition, string what, params SpeedMember[] members) =>
        WaitUntilAsync(() => Task.FromResult(condition()), what, members);

    /// <summary>Polls until <paramref name="condition"/> holds; fails if a member fails or after 3 minutes (a hang).</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, params SpeedMember[] members)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (!await condition())
        {
            foreach (var member in members)
            {
                member.ThrowIfFailed();
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"gave up waiting until {what}");
            }

            await Task.Delay(50);
        }
    }
}

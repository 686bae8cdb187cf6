using Confluent.Kafka;
using Lambda.SharedModel.Log;
using KafkaTopicPartition = Confluent.Kafka.TopicPartition;
using KafkaTopicPartitionOffset = Confluent.Kafka.TopicPartitionOffset;
using TopicPartitionOffset = Lambda.SharedModel.Log.TopicPartitionOffset;

namespace Lambda.Log.Kafka;

/// <summary>
/// One process's membership of a consumer group, on a thread of its own that polls the group
/// consumer and runs the rebalance handlers there. The consumer only coordinates: it takes the
/// group's assignment but assigns itself nothing locally, so it fetches no records. The owner
/// reads its partitions positionally (from its checkpoint's offsets) and commits through
/// <see cref="CommitAsync"/>.
/// </summary>
/// <remarks>
/// Assignment is the eager range assignor: every member subscribes to all the topics and they share
/// one partition count, so a member gets the same partition numbers of every topic. Each handler
/// call checks that; an assignment that is not co-partitioned fails the member rather than run a
/// partition with a topic missing. Eager means a rebalance revokes every partition of every
/// member before the new assignment, so a partition is never owned by two members at once.
/// </remarks>
internal sealed class KafkaGroupMember : IConsumerGroupMember
{
    private static readonly TimeSpan PollSlice = TimeSpan.FromMilliseconds(100);
    private static readonly IEnumerable<KafkaTopicPartitionOffset> NothingLocal = [];

    private readonly IConsumer<Ignore, Ignore> _consumer;
    private readonly IReadOnlyList<string> _topics;
    private readonly IPartitionAssignmentListener _listener;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Thread _thread;
    private volatile bool _stopping;
    private int[] _owned = [];

    public KafkaGroupMember(KafkaClientConfigs configs, string group, IReadOnlyList<string> topics, IPartitionAssignmentListener listener)
    {
        _topics = topics;
        _listener = listener;
        _consumer = new ConsumerBuilder<Ignore, Ignore>(configs.Member(group))
            .SetLogHandler(configs.OnClientLog)
            .SetPartitionsAssignedHandler((_, partitions) => OnAssigned(partitions))
            .SetPartitionsRevokedHandler((_, _) => Revoke(lost: false))
            .SetPartitionsLostHandler((_, _) => Revoke(lost: true))
            .Build();
        _thread = new Thread(Run) { IsBackground = true, Name = $"kafka-group-{group}" };
        _thread.Start();
    }

    public Task Completion => _completion.Task;

    public ValueTask<bool> CommitAsync(IReadOnlyList<TopicPartitionOffset> offsets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        if (offsets.Count == 0)
        {
            return ValueTask.FromResult(true);
        }

        var kafkaOffsets = offsets.Select(o => new KafkaTopicPartitionOffset(
            o.TopicPartition.Topic, new Partition(o.TopicPartition.Partition), new Offset(o.Offset))).ToList();
        return new ValueTask<bool>(Task.Run(() =>
        {
            try
            {
                // librdkafka's consumer is thread-safe: a commit from a worker thread goes out with
                // the member's id and generation while this member's thread keeps polling.
                _consumer.Commit(kafkaOffsets);
                return true;
            }
            catch (KafkaException)
            {
                return false;
            }
        }, cancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        await _completion.Task.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
            .ConfigureAwait(false);
    }

    private void Run()
    {
        try
        {
            _consumer.Subscribe(_topics);
            while (!_stopping)
            {
                try
                {
                    // Nothing is assigned locally, so this only serves rebalances (and errors).
                    _consumer.Consume(PollSlice);
                }
                catch (ConsumeException e) when (e.Error.Code != ErrorCode.Local_Application && !e.Error.IsFatal)
                {
                    // Transient (a broker away, a metadata refresh): librdkafka retries by itself.
                }
            }

            // Leaves the group; the revoke handler runs here first, so the owner saves its partitions.
            _consumer.Close();
            _completion.TrySetResult();
        }
        catch (Exception e)
        {
            // A failing handler arrives wrapped; report the cause. Whatever is owned is lost to this member now.
            var cause = e is ConsumeException { Error.Code: ErrorCode.Local_Application, InnerException: { } inner } ? inner : e;
            try
            {
                Revoke(lost: true);
            }
            finally
            {
                _completion.TrySetException(cause);
            }
        }
        finally
        {
            _consumer.Dispose();
        }
    }

    private IEnumerable<KafkaTopicPartitionOffset> OnAssigned(List<KafkaTopicPartition> assigned)
    {
        var partitions = assigned.GroupBy(tp => tp.Partition.Value).OrderBy(g => g.Key).ToList();
        var incomplete = partitions.Where(g => g.Select(tp => tp.Topic).Distinct().Count() != _topics.Count).ToList();
        if (incomplete.Count > 0)
        {
            throw new InvalidOperationException(
                $"the group assigned partition {incomplete[0].Key} of only {string.Join(", ", incomplete[0].Select(tp => tp.Topic))}: "
                + $"the topics {string.Join(", ", _topics)} must share one partition count and every member must subscribe to all of them");
        }

        _owned = [.. partitions.Select(g => g.Key)];
        if (_owned.Length > 0)
        {
            _listener.OnAssigned(_owned);
        }

        // The owner reads positionally from its checkpoints: the group consumer fetches nothing.
        return NothingLocal;
    }

    private IEnumerable<KafkaTopicPartitionOffset> Revoke(bool lost)
    {
        var owned = _owned;
        _owned = [];
        if (owned.Length > 0)
        {
            _listener.OnRevoked(owned, lost);
        }

        return NothingLocal;
    }
}

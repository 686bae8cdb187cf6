namespace Lambda.Speed;

/// <summary>
/// Knobs of the speed layer. Every duration is event time unless it says otherwise.
/// <see cref="Validate"/> is the one place options are checked; its messages name the option.
/// </summary>
public sealed class SpeedOptions
{
    /// <summary>
    /// How far behind the highest event time an event may arrive and still be applied. Larger values
    /// count fewer events late but keep windows open (and the answer provisional) for longer.
    /// </summary>
    public TimeSpan AllowedLateness { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a view or click waits for its ad's served record before it is counted unattributed.
    /// Longer waits attribute more stragglers at the cost of memory for pending events.
    /// </summary>
    public TimeSpan JoinHorizon { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How far an event time may lie ahead of its record's log time (clock skew allowance). Anything
    /// further ahead is dead-lettered as event_time_in_future, so one producer with a wrong clock cannot
    /// push the watermark ahead and make every live event late. The batch layer's archive must use the
    /// same value (<c>--max-future-skew</c> on both) so that both layers reject the same records.
    /// </summary>
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMilliseconds(Lambda.SharedModel.Codec.EventDecoder.DefaultMaxFutureSkewMs);

    /// <summary>
    /// A topic that has had no record for this long (in log time) stops holding the partition's
    /// watermark back, so one quiet topic does not freeze every window.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long after its end a final window stays in memory, to count late events against it.
    /// Evicted windows keep their rows in the view store; later late events count per partition only.
    /// </summary>
    public TimeSpan WindowRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// The most event ids the dedupe window remembers per partition. Memory is about 24 bytes an id;
    /// when full, the oldest slice of event time is forgotten first (a bounded-memory approximation:
    /// the batch layer dedupes exactly).
    /// </summary>
    public int DedupeCapacity { get; set; } = 4_000_000;

    /// <summary>
    /// Wall-clock interval between writes of changed rows to the speed view; flushes fall on
    /// multiples of it. A row changed just after a flush waits a whole interval to be seen, so the
    /// default (500 ms) leaves half of the 1 s append-to-visible target for processing and the
    /// write (see the README).
    /// </summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Wall-clock interval between checkpoints. Shorter means less replay after a crash.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Speed rows older than the batch watermark minus this are deleted from the view store.</summary>
    public TimeSpan RetentionGrace { get; set; } = TimeSpan.FromDays(2);

    /// <summary>Records read from one topic-partition per log read.</summary>
    public int ReadBatchSize { get; set; } = 8192;

    /// <summary>Directory for checkpoint files (one sub-directory per partition).</summary>
    public string CheckpointDirectory { get; set; } = "data/speed/checkpoints";

    /// <summary>The consumer group whose committed offsets record progress (for lag and status).</summary>
    public string ConsumerGroup { get; set; } = "lambda-speed";

    /// <summary>Threads running partition workers; partitions are spread over them.</summary>
    public int Workers { get; set; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        Positive(AllowedLateness, nameof(AllowedLateness), allowZero: true);
        Positive(JoinHorizon, nameof(JoinHorizon), allowZero: true);
        Positive(MaxFutureSkew, nameof(MaxFutureSkew), allowZero: true);
        Positive(IdleTimeout, nameof(IdleTimeout), allowZero: false);
        Positive(WindowRetention, nameof(WindowRetention), allowZero: false);
        Positive(FlushInterval, nameof(FlushInterval), allowZero: false);
        Positive(CheckpointInterval, nameof(CheckpointInterval), allowZero: false);
        Positive(RetentionGrace, nameof(RetentionGrace), allowZero: true);
        if (DedupeCapacity < 1_000)
        {
            throw new ArgumentException($"speed option {nameof(DedupeCapacity)} must be at least 1000 (got {DedupeCapacity})", nameof(DedupeCapacity));
        }

        if (ReadBatchSize is < 1 or > 1_000_000)
        {
            throw new ArgumentException($"speed option {nameof(ReadBatchSize)} must be between 1 and 1000000 (got {ReadBatchSize})", nameof(ReadBatchSize));
        }

        if (Workers is < 1 or > 1024)
        {
            throw new ArgumentException($"speed option {nameof(Workers)} must be between 1 and 1024 (got {Workers})", nameof(Workers));
        }

        if (string.IsNullOrWhiteSpace(CheckpointDirectory))
        {
            throw new ArgumentException($"speed option {nameof(CheckpointDirectory)} must not be empty", nameof(CheckpointDirectory));
        }

        if (string.IsNullOrWhiteSpace(ConsumerGroup))
        {
            throw new ArgumentException($"speed option {nameof(ConsumerGroup)} must not be empty", nameof(ConsumerGroup));
        }
    }

    private static void Positive(TimeSpan value, string name, bool allowZero)
    {
        if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero))
        {
            throw new ArgumentException($"speed option {name} must be {(allowZero ? "zero or more" : "more than zero")} (got {value})", name);
        }
    }
}

using Lambda.SharedModel.Log;

namespace Lambda.Log.Kafka;

/// <summary>
/// Records enqueued before a flush were not acknowledged by the cluster (broker error, timeout,
/// unknown partition): a <see cref="LogUnavailableException"/>, so the caller may retry. The message carries the broker's or librdkafka's reason for the first failure.
/// </summary>
public sealed class KafkaDeliveryException : LogUnavailableException
{
    public KafkaDeliveryException(long failedRecords, string firstFailure)
        : base($"{failedRecords} record(s) were not delivered to Kafka; first failure: {firstFailure}")
    {
        FailedRecords = failedRecords;
        FirstFailure = firstFailure;
    }

    /// <summary>Records that failed since the previous flush.</summary>
    public long FailedRecords { get; }

    /// <summary>Partition, error code and reason of the first failure.</summary>
    public string FirstFailure { get; }
}

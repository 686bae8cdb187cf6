using Lambda.SharedModel.Log;
using Lambda.Tests.Shared;

namespace Lambda.Log.Tests.Kafka;

/// <summary>The log contract against a real Kafka cluster (LAMBDA_KAFKA_BOOTSTRAP); skipped without one, failed on CI.</summary>
public sealed class KafkaLogContractTests : EventLogContract
{
    protected override Task<IEventLog> CreateLogAsync() => Task.FromResult<IEventLog>(KafkaTestCluster.CreateLogOrSkip());
}

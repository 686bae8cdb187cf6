using Lambda.SharedModel.Log;

namespace Lambda.Log.Tests.Kafka;

/// <summary>The log contract against a real Kafka cluster (LAMBDA_KAFKA_BOOTSTRAP); skipped without one.</summary>
public sealed class KafkaLogContractTests : EventLogContract
{
    protected override Task<IEventLog> CreateLogAsync()
    {
        Skip.If(string.IsNullOrEmpty(Environment.GetEnvironmentVariable(KafkaTestCluster.Variable)),
            "LAMBDA_KAFKA_BOOTSTRAP is not set: no Kafka broker to run the contract against");
        return Task.FromResult<IEventLog>(KafkaTestCluster.CreateLogOrSkip());
    }
}

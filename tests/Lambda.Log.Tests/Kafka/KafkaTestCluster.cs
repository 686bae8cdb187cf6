using Lambda.Log.Kafka;

namespace Lambda.Log.Tests.Kafka;

/// <summary>The Kafka cluster the tests run against, named by LAMBDA_KAFKA_BOOTSTRAP; skips without one.</summary>
internal static class KafkaTestCluster
{
    public const string Variable = "LAMBDA_KAFKA_BOOTSTRAP";

    public static KafkaEventLog CreateLogOrSkip()
    {
        var bootstrap = Environment.GetEnvironmentVariable(Variable);
        Skip.If(string.IsNullOrEmpty(bootstrap), $"{Variable} is not set: no Kafka broker to run the contract against");
        return new KafkaEventLog(new KafkaLogOptions { BootstrapServers = bootstrap!, ClientId = "lambda-tests" });
    }
}

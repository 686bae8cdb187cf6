using Lambda.SharedModel.Log;

namespace Lambda.Log.Kafka;

/// <summary>
/// The cluster did not answer a request (metadata, topic settings) within the request timeout: no
/// broker reachable at the bootstrap servers, or none able to serve. The message names both.
/// </summary>
public sealed class KafkaUnavailableException : LogUnavailableException
{
    public KafkaUnavailableException(string bootstrapServers, TimeSpan timeout, string reason, Exception? inner = null)
        : base($"Kafka at {bootstrapServers} did not answer within {timeout.TotalSeconds:0.#} s ({reason})", inner)
    {
        BootstrapServers = bootstrapServers;
    }

    /// <summary>The bootstrap servers the log was given.</summary>
    public string BootstrapServers { get; }
}

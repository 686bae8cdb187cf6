namespace Lambda.Log.Kafka;

/// <summary>
/// The kinds of librdkafka client the log creates. An <see cref="KafkaLogOptions.ExtraConfig"/> key prefixed
/// with <c>producer.</c>, <c>consumer.</c> or <c>admin.</c> goes to that kind only, because librdkafka warns
/// (CONFWARN) when a client is given another kind's property, e.g. a producer given <c>fetch.max.bytes</c>.
/// </summary>
public enum KafkaClientKind
{
    /// <summary>The producers that append records.</summary>
    Producer,

    /// <summary>The consumers: positional readers, offset commits and group members.</summary>
    Consumer,

    /// <summary>The admin client that creates and describes topics.</summary>
    Admin,
}

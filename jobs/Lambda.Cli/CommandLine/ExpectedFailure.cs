using Lambda.DuckDb;
using Lambda.Log.Embedded;
using Lambda.Log.Kafka;

namespace Lambda.Cli.CommandLine;

/// <summary>
/// Failures a command can meet in normal operation (I/O, a corrupt or unreadable file, DuckDB's errors
/// on the master dataset, a refused job, a Kafka cluster that does not answer or refuses a delivery): reported as one line with exit code 1, no stack trace. Anything
/// else is a bug and keeps its stack trace.
/// </summary>
internal static class ExpectedFailure
{
    public static bool Is(Exception ex) => ex is IOException or UnauthorizedAccessException or InvalidDataException
        or InvalidOperationException or DuckDbException or LogCorruptionException or System.Text.Json.JsonException
        or KafkaUnavailableException or KafkaDeliveryException or Confluent.Kafka.KafkaException;

    /// <summary>The message on one line; DuckDB's errors get a prefix, and its multi-line context (LINE 1: ...) is dropped.</summary>
    public static string OneLine(Exception ex)
    {
        var message = ex.Message;
        var end = message.IndexOfAny(['\r', '\n']);
        var first = (end < 0 ? message : message[..end]).Trim();
        return ex switch
        {
            DuckDbException => "DuckDB: " + first,
            Confluent.Kafka.KafkaException => "Kafka: " + first,
            _ => first,
        };
    }
}

using System.Text;
using Lambda.Log.Kafka;
using Lambda.SharedModel.Log;

namespace Lambda.Log.Tests.Kafka;

/// <summary>librdkafka loads and the clients behave without any broker.</summary>
public sealed class KafkaNativeTests
{
    private static KafkaLogOptions Unreachable() => new()
    {
        // Port 1 on loopback: nothing listens, so every connection is refused at once.
        BootstrapServers = "localhost:1",
        DeliveryTimeout = TimeSpan.FromSeconds(2),
        RequestTimeout = TimeSpan.FromSeconds(2),
    };

    [Fact]
    public void the_redist_build_of_librdkafka_is_loaded_at_the_expected_version()
    {
        Assert.Equal("2.16.0", KafkaNative.ExpectedVersion);
        Assert.Equal(KafkaNative.ExpectedVersion, KafkaNative.Version);
        // Not the system's librdkafka (Debian's may be installed): the package's centos8 build.
        Assert.EndsWith("runtimes/linux-x64/native/centos8-librdkafka.so", KafkaNative.LibraryPath, StringComparison.Ordinal);
    }

    [Fact]
    public void another_librdkafka_version_is_refused_with_one_line_naming_both_versions()
    {
        var e = Assert.Throws<InvalidOperationException>(() => KafkaNative.CheckVersion("2.0.2", "2.16.0", "/usr/lib/librdkafka.so.1"));

        Assert.Contains("librdkafka 2.0.2 was loaded (/usr/lib/librdkafka.so.1)", e.Message, StringComparison.Ordinal);
        Assert.Contains("tested with 2.16.0", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task a_producer_and_a_reader_on_a_bogus_address_are_created_and_disposed()
    {
        var log = new KafkaEventLog(new KafkaLogOptions { BootstrapServers = "bogus.invalid:9092" });
        var producer = log.CreateProducer();
        var reader = log.CreateReader();

        reader.Dispose();
        await producer.FlushAsync();
        await producer.DisposeAsync();
        await log.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(log.CreateProducer);
    }

    [Fact]
    public async Task flush_to_an_unreachable_broker_fails_with_the_delivery_error()
    {
        await using var log = new KafkaEventLog(Unreachable());
        await using var producer = log.CreateProducer();
        producer.Enqueue(new TopicPartition("ad-served", 0), "ad-1"u8, Encoding.UTF8.GetBytes("{}"), 1_700_000_000_000);

        // The token only guards against a hang; the delivery timeout ends the flush first.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var e = await Assert.ThrowsAsync<KafkaDeliveryException>(async () => await producer.FlushAsync(guard.Token));

        Assert.Equal(1, e.FailedRecords);
        Assert.Contains("ad-served[0]", e.Message, StringComparison.Ordinal);
        Assert.Contains("MsgTimedOut", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_failed_flush_is_reported_once()
    {
        await using var log = new KafkaEventLog(Unreachable());
        await using var producer = log.CreateProducer();
        producer.Enqueue(new TopicPartition("ad-views", 2), "ad-1"u8, "{}"u8, 1_700_000_000_000);
        await Assert.ThrowsAsync<KafkaDeliveryException>(async () => await producer.FlushAsync());

        await producer.FlushAsync();
    }
}

using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Lambda.SharedModel.Bots;
using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Events;

namespace Lambda.Benchmarks.Codec;

/// <summary>
/// Decoding ~200-byte wire records on one core (target: 1,500,000 events/s). Physical references over the
/// same bytes: a Utf8JsonReader pass that only reads tokens, and a vectorized byte count (memchr-style).
/// Each operation is one record; the Events/s column is 1 / mean.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(EventsPerSecondConfig))]
public class DecodeBenchmark
{
    private const int Records = 1024;
    private const long NowMs = 1714564800000;

    private readonly EventDecoder _decoder = new();
    private byte[][] _served = [];
    private byte[][] _views = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        using var encoder = new EventEncoder();
        _served = new byte[Records][];
        _views = new byte[Records][];
        for (var i = 0; i < Records; i++)
        {
            var ad = $"ad-{random.Next(100_000):D6}";
            var user = $"u-{random.Next(1_000_000):D7}";
            var ip = $"192.0.2.{random.Next(256)}";
            const string agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0";
            var time = NowMs - random.Next(3_600_000);
            _served[i] = encoder.Encode(new AdEventRecord
            {
                Kind = EventKind.Served,
                EventId = Guid.NewGuid().ToString(),
                AdId = ad,
                CampaignId = $"camp-{random.Next(1000)}",
                AdvertiserId = $"adv-{random.Next(100)}",
                UserId = user,
                Ip = ip,
                UserAgent = agent,
                Placement = "home-top",
                Score = random.Next(1000) / 1000.0,
                CostMicros = random.Next(5000),
                EventTimeMs = time,
            });
            _views[i] = encoder.Encode(new AdEventRecord
            {
                Kind = EventKind.View,
                EventId = Guid.NewGuid().ToString(),
                AdId = ad,
                UserId = user,
                Ip = ip,
                UserAgent = agent + " Safari/537.36",
                EventTimeMs = time,
            });
        }

        AverageServedBytes = _served.Average(r => r.Length);
        AverageViewBytes = _views.Average(r => r.Length);
        Console.WriteLine($"// served records average {AverageServedBytes:F0} bytes, views {AverageViewBytes:F0} bytes");
    }

    public double AverageServedBytes { get; private set; }

    public double AverageViewBytes { get; private set; }

    [Benchmark(OperationsPerInvoke = Records)]
    public long DecodeServed()
    {
        long sum = 0;
        foreach (var record in _served)
        {
            _decoder.Decode(EventKind.Served, record, NowMs, out var ev);
            sum += ev.CostMicros + ev.AdId.Length;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public long DecodeView()
    {
        long sum = 0;
        foreach (var record in _views)
        {
            _decoder.Decode(EventKind.View, record, NowMs, out var ev);
            sum += ev.EventTimeMs + ev.AdId.Length;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public long DecodeViewAndCheckBot()
    {
        long sum = 0;
        var rules = BotRules.Default;
        foreach (var record in _views)
        {
            _decoder.Decode(EventKind.View, record, NowMs, out var ev);
            sum += rules.IsBot(ev.Ip, ev.UserAgent) ? 1 : ev.AdId.Length;
        }

        return sum;
    }

    /// <summary>Physical reference: tokenize the same served bytes, interpreting nothing.</summary>
    [Benchmark(OperationsPerInvoke = Records, Baseline = true)]
    public long ReaderTokensOnlyServed()
    {
        long tokens = 0;
        foreach (var record in _served)
        {
            var reader = new Utf8JsonReader(record);
            while (reader.Read())
            {
                tokens++;
            }
        }

        return tokens;
    }

    /// <summary>Physical reference: one vectorized pass over the same served bytes (count the quotes).</summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public long MemchrScanServed()
    {
        long quotes = 0;
        foreach (var record in _served)
        {
            quotes += record.AsSpan().Count((byte)'"');
        }

        return quotes;
    }

    private sealed class EventsPerSecondConfig : ManualConfig
    {
        public EventsPerSecondConfig() => AddColumn(new EventsPerSecondColumn());
    }

    private sealed class EventsPerSecondColumn : IColumn
    {
        public string Id => nameof(EventsPerSecondColumn);

        public string ColumnName => "Events/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "records per second on one core: 1 / mean time per record";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
            return mean is > 0 ? (1e9 / mean.Value).ToString("N0", CultureInfo.InvariantCulture) : "-";
        }

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }
}

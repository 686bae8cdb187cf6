using System.Globalization;
using System.Text;
using Lambda.Log.Embedded;
using Lambda.SharedModel.Log;

// Usage: dotnet Lambda.Log.AppendProbe.dll <log dir>
// Appends to ad-served[0], continuing from its end: record n has key = n (int64 LE), timestamp = n and
// the value below. After each FlushAsync returns, prints the highest acknowledged n. Runs until killed.
var options = new EmbeddedLogOptions { RootPath = args[0], Fsync = FsyncPolicy.Never, SegmentBytes = 256 * 1024 };
var log = EmbeddedEventLog.Open(options);
await log.CreateTopicAsync("ad-served", 1);
var tp = new TopicPartition("ad-served", 0);
var next = (await log.GetOffsetsAsync(tp)).End;
var producer = log.CreateProducer();
var random = new Random();
var value = new byte[100];
var output = Console.Out;
while (true)
{
    var count = random.Next(1, 200);
    for (var i = 0; i < count; i++)
    {
        var n = next + i;
        Array.Clear(value);
        Encoding.ASCII.GetBytes($"v{n}:").CopyTo(value, 0);
        for (var j = 12; j < value.Length; j++)
        {
            value[j] = (byte)(n + j);
        }

        producer.Enqueue(tp, BitConverter.GetBytes(n), value, n);
    }

    await producer.FlushAsync();
    next += count;
    output.WriteLine((next - 1).ToString(CultureInfo.InvariantCulture));
    output.Flush();

    // Keeps the volume small enough for the test to verify quickly; kills still land inside writes.
    await Task.Delay(1);
}

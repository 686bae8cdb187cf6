// Seeds a view store for the serving benchmark: campaigns bench-0..9 of advertiser bench-adv, a
// batch version whose W is noon of day D, batch minute/hour/day rows before W and speed minute rows
// (4 partitions) from 11:00 to the end of D, every row with a real sketch of 20 users.
// Usage: ServingSeed sqlite <views.db> | ServingSeed postgres <connection string>
using Lambda.SharedModel.Sketches;
using Lambda.SharedModel.Views;
using Lambda.Store.Postgres;
using Lambda.Store.Sqlite;

const long D = 1_795_392_000_000; // 2026-11-23T00:00:00Z
const long M = 60_000;
const long H = 3_600_000;
const long W = D + (12 * H);

await using IViewStore store = args[0] == "postgres" ? new PostgresViewStore(args[1]) : new SqliteViewStore(args[1]);
await store.InitializeAsync();
var campaigns = Enumerable.Range(0, 10).Select(i => new CampaignInfo($"bench-{i}", "bench-adv")).ToArray();
await store.ClaimCampaignsAsync(campaigns);

var versionId = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
await store.CreateBatchVersionAsync(new BatchVersionInfo(versionId, W, TimeProvider.System.GetUtcNow(), "{}", 0, BatchVersionStates.Loading));
var rows = 0L;
foreach (var campaign in campaigns)
{
    var batch = new List<BatchViewRow>();
    for (var m = D; m < W; m += M)
    {
        batch.Add(new BatchViewRow(campaign.CampaignId, "minute", m, Counts(m), 20, Sketch(m)));
    }
    for (var h = D; h < W; h += H)
    {
        batch.Add(new BatchViewRow(campaign.CampaignId, "hour", h, Counts(h), 20, Sketch(h)));
    }
    await store.AppendBatchRowsAsync(versionId, batch);
    rows += batch.Count;

    var speed = new List<SpeedViewRow>();
    for (var m = W - H; m < D + (24 * H); m += M)
    {
        for (var p = 0; p < 4; p++)
        {
            speed.Add(new SpeedViewRow(campaign.CampaignId, m, p, Counts(m + p), Sketch(m + p), false));
        }
    }
    await store.UpsertSpeedRowsAsync(speed);
}
await store.MarkBatchVersionReadyAsync(versionId, rows);
await store.SetCurrentBatchVersionAsync(versionId);
Console.WriteLine($"seeded {campaigns.Length} campaigns, version {versionId} with W = 2026-11-23T12:00:00Z");

static MetricCounts Counts(long seed) => new(10 + (seed % 7), 5, 1, 1000, 0, 0, 0, 0);

static byte[] Sketch(long seed)
{
    var sketch = new HyperLogLog();
    for (var u = 0; u < 20; u++)
    {
        sketch.Add(UserHash.Of($"user-{(seed / M) % 500 + u}"));
    }
    return sketch.ToBytes();
}

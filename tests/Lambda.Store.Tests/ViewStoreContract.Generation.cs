using Lambda.SharedModel.Views;

namespace Lambda.Store.Tests;

public abstract partial class ViewStoreContract
{
    [SkippableFact]
    public async Task every_write_an_answer_depends_on_moves_the_view_generation()
    {
        var seen = new List<long> { await Store.GetViewGenerationAsync() };
        async Task Moved(string write)
        {
            var now = await Store.GetViewGenerationAsync();
            Assert.True(now > seen[^1], $"{write} left the view generation at {now}");
            seen.Add(now);
        }

        await Store.UpsertSpeedRowsAsync([ViewRows.Speed("c1", 0, 0, 10)]);
        await Moved("a speed upsert");
        await Store.UpsertPartitionStatusAsync([new SpeedPartitionStatus(0, "w1", T0, 0, 0, 1, 0, 0, 0, 0, 0, DateTimeOffset.UnixEpoch)]);
        await Moved("a partition status upsert");
        await Store.DeleteSpeedRowsBeforeAsync(T0 + M);
        await Moved("speed retention");
        await Store.CreateBatchVersionAsync(ViewRows.Version(1));
        await Store.MarkBatchVersionReadyAsync(1, 0);
        await Store.SetCurrentBatchVersionAsync(1);
        await Moved("a batch flip");
    }

    [SkippableFact]
    public async Task reads_and_writes_of_other_things_leave_the_view_generation_alone()
    {
        await Store.UpsertSpeedRowsAsync([ViewRows.Speed("c1", 0, 0, 10)]);
        var before = await Store.GetViewGenerationAsync();

        await Store.ReadSpeedRowsAsync("c1", T0, T0 + M);
        await Store.ClaimCampaignsAsync([new CampaignInfo("c1", "a1")]);
        await Store.CreateBatchVersionAsync(ViewRows.Version(1));

        Assert.Equal(before, await Store.GetViewGenerationAsync());
    }
}

using Lambda.DuckDb;

namespace Lambda.Batch.Tests.DuckDb;

/// <summary>The allocator's decay times are process-wide, so these run alone, after the parallel tests (recomputes hold scopes too).</summary>
[CollectionDefinition(nameof(AllocatorTests), DisableParallelization = true)]
public sealed class AllocatorCollection;

[Collection(nameof(AllocatorTests))]
public sealed class AllocatorTests
{
    [Fact]
    public void a_scope_turns_decay_off_and_its_end_restores_it()
    {
        using (var database = DuckDbDatabase.OpenInMemory())
        using (var connection = database.Connect())
        {
            connection.Execute("SELECT count(*) FROM range(100000)");
        }

        var before = DuckDbAllocator.DirtyDecayMs;
        Assert.NotNull(before);
        Assert.NotEqual((-1L, -1L), before);

        var outer = DuckDbAllocator.RetainFreedMemory();
        Assert.Equal((-1L, -1L), DuckDbAllocator.DirtyDecayMs);
        using (DuckDbAllocator.RetainFreedMemory())
        {
            Assert.Equal((-1L, -1L), DuckDbAllocator.DirtyDecayMs);
        }

        // The outer scope still holds.
        Assert.Equal((-1L, -1L), DuckDbAllocator.DirtyDecayMs);
        outer.Dispose();
        outer.Dispose();
        Assert.Equal(before, DuckDbAllocator.DirtyDecayMs);
    }

    [Fact]
    public void queries_inside_a_scope_give_the_same_answers()
    {
        using var memory = DuckDbAllocator.RetainFreedMemory();
        using var database = DuckDbDatabase.OpenInMemory();
        using var connection = database.Connect();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(1_000_000L, connection.ScalarInt64("SELECT count(DISTINCT x % 1000000) FROM range(2000000) t(x)"));
        }
    }
}

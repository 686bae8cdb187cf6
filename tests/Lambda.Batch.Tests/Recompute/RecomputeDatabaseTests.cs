using Lambda.Batch.Recompute;
using Lambda.DuckDb;

namespace Lambda.Batch.Tests.Recompute;

public sealed class RecomputeDatabaseTests
{
    [Fact]
    public void retained_memory_sets_duckdbs_allocator_to_keep_that_much()
    {
        var temp = Path.Combine(Path.GetTempPath(), "lambda-recompute-db-" + Guid.NewGuid().ToString("N"));
        using var retaining = DuckDbDatabase.OpenInMemory(RecomputeDatabase.Options(1, null, "640MB", temp));
        using var plain = DuckDbDatabase.OpenInMemory(RecomputeDatabase.Options(1, null, null, temp));
        using var expected = DuckDbDatabase.OpenInMemory(new DuckDbOptions { Threads = 1 });
        using var reference = expected.Connect();
        reference.Execute("SET block_allocator_memory = '640MB'; SET allocator_flush_threshold = '640MB'; SET allocator_bulk_deallocation_flush_threshold = '640MB'");

        var settings = Settings(reference);
        Assert.Equal(settings, Settings(retaining.Connect()));
        Assert.NotEqual(settings, Settings(plain.Connect()));
    }

    [Fact]
    public void blank_retained_memory_is_rejected_by_name()
    {
        var options = new RecomputeOptions { DataDirectory = "data", RetainedMemory = " " };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(nameof(RecomputeOptions.RetainedMemory), error.ParamName);
    }

    private static string Settings(DuckDbConnection connection)
    {
        using (connection)
        {
            using var reader = connection.Query("""
                SELECT current_setting('block_allocator_memory') || ' / ' || current_setting('allocator_flush_threshold')
                       || ' / ' || current_setting('allocator_bulk_deallocation_flush_threshold')
                """);
            reader.Read();
            return reader.GetString(0);
        }
    }
}

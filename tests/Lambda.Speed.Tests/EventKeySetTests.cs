using Lambda.Speed.State;

namespace Lambda.Speed.Tests;

public class EventKeySetTests
{
    [Fact]
    public void holds_exactly_the_keys_a_hash_set_holds_through_adds_and_removes()
    {
        var set = new EventKeySet();
        var reference = new HashSet<ulong>();
        var random = new Random(11);
        // Few distinct keys, so adds collide with present keys and removes find them; a narrow
        // key range also makes long probe runs, which removal must keep intact.
        for (var i = 0; i < 200_000; i++)
        {
            var key = (ulong)random.Next(0, 5_000) * (i % 3 == 0 ? 1UL : 0x1_0000_0000UL);
            if (random.Next(3) == 0)
            {
                set.Remove(key);
                reference.Remove(key);
            }
            else
            {
                Assert.Equal(reference.Add(key), set.Add(key));
            }

            Assert.Equal(reference.Count, set.Count);
        }

        for (ulong key = 0; key < 5_000; key++)
        {
            Assert.Equal(reference.Contains(key), set.Contains(key));
            Assert.Equal(reference.Contains(key * 0x1_0000_0000UL), set.Contains(key * 0x1_0000_0000UL));
        }
    }

    [Fact]
    public void zero_is_a_key_like_any_other()
    {
        var set = new EventKeySet();
        Assert.False(set.Contains(0));
        Assert.True(set.Add(0));
        Assert.False(set.Add(0));
        Assert.True(set.Contains(0));
        Assert.Equal(1, set.Count);
        set.Remove(0);
        Assert.False(set.Contains(0));
        Assert.Equal(0, set.Count);
    }

    [Fact]
    public void keeps_every_key_while_it_grows()
    {
        var set = new EventKeySet();
        for (ulong key = 1; key <= 100_000; key++)
        {
            Assert.True(set.Add(key * 0x9E3779B97F4A7C15UL));
        }

        for (ulong key = 1; key <= 100_000; key++)
        {
            Assert.True(set.Contains(key * 0x9E3779B97F4A7C15UL));
            Assert.False(set.Contains(key * 0x9E3779B97F4A7C15UL + 1));
        }
    }
}

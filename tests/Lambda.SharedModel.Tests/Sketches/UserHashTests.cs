using System.Text;
using Lambda.SharedModel.Sketches;

namespace Lambda.SharedModel.Tests.Sketches;

public class UserHashTests
{
    [Theory]
    // Reference XXH64 values with seed 0 (xxHash's published test vectors).
    [InlineData("", 0xEF46DB3751D8E999UL)]
    [InlineData("abc", 0x44BC2CF5AD770999UL)]
    public void user_hash_is_xxhash64_with_seed_zero(string userId, ulong expected)
    {
        Assert.Equal(expected, UserHash.Of(Encoding.UTF8.GetBytes(userId)));
    }

    [Theory]
    [InlineData("4b7f3c1e-9a0d-4e55-8f11-2c3d4e5f6a7b")]
    [InlineData("utilisateur-é-ü-日本")]
    public void string_and_utf8_forms_hash_alike(string userId)
    {
        Assert.Equal(UserHash.Of(Encoding.UTF8.GetBytes(userId)), UserHash.Of(userId));
    }

    [Fact]
    public void long_ids_beyond_the_stack_buffer_hash_alike()
    {
        var userId = new string('é', 500);
        Assert.Equal(UserHash.Of(Encoding.UTF8.GetBytes(userId)), UserHash.Of(userId));
    }
}

using System.Buffers;
using System.IO.Hashing;
using System.Text;

namespace Lambda.SharedModel.Sketches;

/// <summary>
/// The 64-bit hash of a user id that feeds <see cref="HyperLogLog"/>: XxHash64 of the id's UTF-8 bytes
/// with seed 0. <b>Frozen</b>: the batch layer stores it as the <c>user_hash</c> column and both layers'
/// sketches must agree bit for bit, so changing the function or the seed is a format break.
/// </summary>
public static class UserHash
{
    /// <summary>The XxHash64 seed. Frozen at 0.</summary>
    public const long Seed = 0;

    private const int StackLimit = 256;

    /// <summary>The hash of a user id given as its UTF-8 bytes (the form it has on the wire).</summary>
    public static ulong Of(ReadOnlySpan<byte> userIdUtf8) => XxHash64.HashToUInt64(userIdUtf8, Seed);

    /// <summary>The hash of a user id given as a string; equal to <see cref="Of(ReadOnlySpan{byte})"/> of its UTF-8 bytes.</summary>
    public static ulong Of(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        var byteCount = Encoding.UTF8.GetByteCount(userId);
        if (byteCount <= StackLimit)
        {
            Span<byte> utf8 = stackalloc byte[StackLimit];
            var written = Encoding.UTF8.GetBytes(userId, utf8);
            return Of(utf8[..written]);
        }

        var rented = ArrayPool<byte>.Shared.Rent(byteCount);
        try
        {
            var written = Encoding.UTF8.GetBytes(userId, rented);
            return Of(rented.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}

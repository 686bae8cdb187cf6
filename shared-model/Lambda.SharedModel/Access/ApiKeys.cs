using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Lambda.SharedModel.Access;

/// <summary>Making, hashing and naming API keys. A key is <c>lk_</c> + 32 random bytes in base64url.</summary>
public static class ApiKeys
{
    /// <summary>The prefix of every key, so a leaked key is recognisable.</summary>
    public const string Prefix = "lk_";

    /// <summary>The length of every key: the prefix and 32 bytes in unpadded base64url (43 characters).</summary>
    public const int Length = 46;

    private static readonly SearchValues<char> Base64Url = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>
    /// Whether <paramref name="presented"/> has the shape of a key (<see cref="NewKey"/>'s). Anything
    /// else cannot be one, so it is refused without a hash, a lookup or a cache entry.
    /// </summary>
    public static bool IsWellFormed(string? presented) =>
        presented is { Length: Length } && presented.StartsWith(Prefix, StringComparison.Ordinal)
        && presented.AsSpan(Prefix.Length).IndexOfAnyExcept(Base64Url) < 0;

    /// <summary>A new random key (shown once; only its hash is stored).</summary>
    public static string NewKey() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>SHA-256 of the key's UTF-8 bytes.</summary>
    public static byte[] Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return SHA256.HashData(Encoding.UTF8.GetBytes(key));
    }

    /// <summary>The public id of a key: <c>k_</c> + the first 6 bytes of its hash in hex.</summary>
    public static string IdOf(byte[] hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return "k_" + Convert.ToHexStringLower(hash.AsSpan(0, 6));
    }

    /// <summary>A record for a new key of an advertiser, or an admin key when <paramref name="advertiserId"/> is null.</summary>
    public static ApiKeyRecord NewRecord(string key, string? advertiserId, DateTimeOffset createdAt)
    {
        var hash = Hash(key);
        return new ApiKeyRecord(IdOf(hash), hash, advertiserId, advertiserId is null, createdAt, null);
    }
}

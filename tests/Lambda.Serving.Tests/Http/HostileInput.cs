using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Lambda.Serving.Tests.Http;

/// <summary>
/// Generators of hostile request parts: injection strings (SQL, path traversal, templates, NUL,
/// bidi and astral unicode, percent-escapes), huge and deeply nested values, wrong types, and raw
/// bytes (invalid UTF-8 included), percent-encoded byte by byte so any of them fits in a URL.
/// </summary>
internal static class HostileInput
{
    public static readonly string[] Injections =
    [
        "' OR '1'='1", "'; DROP TABLE campaigns; --", "\" OR 1=1 --", "camp-a' --", "camp-a\" OR \"1\"=\"1", "1; SELECT pg_sleep(10)",
        "../../../../etc/passwd", "..\\..\\..\\windows\\win.ini", "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f", "%252e%252e%252f", "/", "//", ".", "..",
        "\0", "%00", "camp-a\0", "camp-a%00", "\u202ecamp-a", "😀", "\uffff", "\u0000\u0001\u001f", "ｃａｍｐ-ａ", "CAMP-A", "camp-a ", " camp-a",
        "<script>alert(1)</script>", "${jndi:ldap://x/a}", "{{7*7}}", "%s%s%s%n", "$where", "{\"$ne\":null}", "[]", "{}", "null", "true",
        "-1", "0", "1e309", "NaN", "Infinity", "9999999999999999999999", "2026-11-23T10:00:00Z' OR 1=1", "2026-02-30", "2026-11-23T10:00:00+99:00",
        "camp-a,camp-b", "camp-b", "adv-b", "top", "metrics",
    ];

    private static readonly Gen<string> Unicode =
        from length in Gen.Choose(0, 40)
        from chars in Gen.ArrayOf(Gen.Choose(0, 0x2FFFF), length)
        select string.Concat(chars.Select(c => c is >= 0xD800 and <= 0xDFFF ? "\uFFFD" : char.ConvertFromUtf32(c)));

    private static readonly Gen<string> Huge =
        from size in Gen.Elements(129, 4_096, 100_000)
        from c in Gen.Elements('a', '%', '\'', '/', 'é')
        select new string(c, size);

    private static readonly Gen<string> Nested =
        from depth in Gen.Elements(10, 100, 5_000)
        from open in Gen.Elements("[", "{\"a\":", "((")
        select string.Concat(Enumerable.Repeat(open, depth));

    /// <summary>Any hostile text value.</summary>
    public static readonly Gen<string> Text = Gen.OneOf(Gen.Elements(Injections), Unicode, Huge, Nested,
        from a in Gen.Elements(Injections) from b in Unicode select a + b);

    /// <summary>Raw bytes for a URL component, including invalid UTF-8.</summary>
    public static readonly Gen<byte[]> RawBytes = Gen.OneOf(
        Text.Select(Encoding.UTF8.GetBytes),
        Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b)));

    /// <summary>Percent-encodes every byte that is not unreserved, so the server decodes exactly <paramref name="bytes"/>.</summary>
    public static string Escape(byte[] bytes)
    {
        var text = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'_' or (byte)'~')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    public static string Escape(string text) => Escape(Encoding.UTF8.GetBytes(text));
}

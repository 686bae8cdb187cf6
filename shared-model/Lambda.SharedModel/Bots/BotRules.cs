using System.Buffers;
using System.Text;

namespace Lambda.SharedModel.Bots;

/// <summary>
/// Which traffic counts as a bot. A record is a bot when its ip lies in any of <see cref="IpRanges"/>
/// (inclusive, keys as <see cref="IpKey"/>) OR its user agent, lower-cased in ASCII only, contains any of
/// <see cref="UserAgentSubstrings"/>. The batch layer applies the same rules in SQL from this data:
/// <c>ip_key BETWEEN start AND end</c> for some range, or
/// <c>contains(translate(user_agent, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), s)</c>
/// for some substring (an ASCII-only lowering: a Unicode <c>lower()</c> would differ on characters
/// such as the Kelvin sign). An ip that is not a valid address matches no range.
/// </summary>
/// <remarks>
/// File format, one rule a line: <c>ip &lt;address or CIDR&gt;</c> (IPv4 or IPv6; host bits must be zero)
/// or <c>ua &lt;substring&gt;</c> (printable ASCII, matched case-insensitively; the rest of the line after
/// one space, trimmed). Lines starting with <c>#</c> and blank lines are ignored.
/// </remarks>
public sealed class BotRules
{
    /// <summary>The name of the default rules file, copied next to the binaries under <c>Bots/</c>.</summary>
    public const string DefaultFileName = "default-bot-rules.txt";

    private const string DefaultResourceName = "Lambda.SharedModel.Bots.default-bot-rules.txt";
    private const int StackWidenLimit = 512;

    private static readonly Lazy<BotRules> LazyDefault = new(LoadDefault);

    private readonly UInt128[] _starts;
    private readonly UInt128[] _ends;
    private readonly SearchValues<string> _patterns;
    private readonly bool _hasPatterns;

    private BotRules(List<(UInt128 Start, UInt128 End)> ranges, List<string> substrings)
    {
        var merged = Merge(ranges);
        IpRanges = merged;
        _starts = merged.Select(r => r.Start).ToArray();
        _ends = merged.Select(r => r.End).ToArray();
        UserAgentSubstrings = substrings.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        _hasPatterns = UserAgentSubstrings.Count > 0;
        // Matched against the user agent's bytes widened as Latin-1: no character from U+0080 to U+00FF
        // case-folds to an ASCII letter, so OrdinalIgnoreCase there is exactly ASCII case-insensitivity.
        _patterns = SearchValues.Create(UserAgentSubstrings.ToArray(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Rules that match nothing.</summary>
    public static BotRules Empty { get; } = new([], []);

    /// <summary>The rules of the shipped <c>default-bot-rules.txt</c> (read from the embedded copy).</summary>
    public static BotRules Default => LazyDefault.Value;

    /// <summary>The path of the default rules file copied to the output folder.</summary>
    public static string DefaultFilePath => Path.Combine(AppContext.BaseDirectory, "Bots", DefaultFileName);

    /// <summary>Disjoint inclusive ranges of <see cref="IpKey"/> keys, sorted (overlapping rules merged).</summary>
    public IReadOnlyList<(UInt128 Start, UInt128 End)> IpRanges { get; }

    /// <summary>Lower-case ASCII substrings of user agents, distinct and sorted.</summary>
    public IReadOnlyList<string> UserAgentSubstrings { get; }

    /// <summary>Reads rules from <paramref name="path"/>; a <see cref="FormatException"/> names the file and line.</summary>
    public static BotRules Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses rules text; <paramref name="sourceName"/> names it in errors (<c>name:line: problem</c>).</summary>
    public static BotRules Parse(string text, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ranges = new List<(UInt128, UInt128)>();
        var substrings = new List<string>();
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var space = line.IndexOfAny([' ', '\t']);
            var directive = space < 0 ? line : line[..space];
            var argument = space < 0 ? "" : line[(space + 1)..].Trim();
            if (argument.Length == 0)
            {
                throw Error(sourceName, lineNumber, $"'{directive}' needs a value");
            }

            if (directive.Equals("ip", StringComparison.OrdinalIgnoreCase))
            {
                ranges.Add(ParseRange(argument, sourceName, lineNumber));
            }
            else if (directive.Equals("ua", StringComparison.OrdinalIgnoreCase))
            {
                if (argument.Any(c => c is < ' ' or > '~'))
                {
                    throw Error(sourceName, lineNumber, $"user-agent substring '{argument}' must be printable ASCII");
                }

                substrings.Add(argument.ToLowerInvariant());
            }
            else
            {
                throw Error(sourceName, lineNumber, $"unknown rule '{directive}': expected 'ip <address or CIDR>' or 'ua <substring>'");
            }
        }

        return new BotRules(ranges, substrings);
    }

    /// <summary>Whether the event with this ip and user agent (UTF-8) is a bot. Allocation-free.</summary>
    public bool IsBot(ReadOnlySpan<byte> ipUtf8, ReadOnlySpan<byte> userAgentUtf8) =>
        IsBotIp(ipUtf8) || IsBotUserAgent(userAgentUtf8);

    /// <summary>Whether <paramref name="ipUtf8"/> parses and lies in a bot range.</summary>
    public bool IsBotIp(ReadOnlySpan<byte> ipUtf8) =>
        _starts.Length != 0 && IpKey.TryParse(ipUtf8, out var key) && IsBotIp(key);

    /// <summary>Whether <paramref name="key"/> lies in a bot range.</summary>
    public bool IsBotIp(UInt128 key)
    {
        var index = _starts.AsSpan().BinarySearch(key);
        if (index >= 0)
        {
            return true;
        }

        // ~index is the first start above the key: the candidate range is the one before it.
        var candidate = ~index - 1;
        return candidate >= 0 && key <= _ends[candidate];
    }

    /// <summary>Whether the ASCII-lowered user agent contains a bot substring.</summary>
    public bool IsBotUserAgent(ReadOnlySpan<byte> userAgentUtf8)
    {
        if (!_hasPatterns || userAgentUtf8.IsEmpty)
        {
            return false;
        }

        char[]? rented = null;
        var widened = userAgentUtf8.Length <= StackWidenLimit
            ? stackalloc char[StackWidenLimit]
            : (rented = ArrayPool<char>.Shared.Rent(userAgentUtf8.Length));
        // Latin-1 maps each byte to one char: ASCII stays ASCII, other bytes can match no pattern.
        var length = Encoding.Latin1.GetChars(userAgentUtf8, widened);
        var found = widened[..length].IndexOfAny(_patterns) >= 0;
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }

        return found;
    }

    private static (UInt128 Start, UInt128 End) ParseRange(string text, string sourceName, int line)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var address = slash < 0 ? text : text[..slash];
        if (!IpKey.TryParse(address.AsSpan(), out var key))
        {
            throw Error(sourceName, line, $"'{address}' is not an IPv4 or IPv6 address");
        }

        var isV4 = !address.Contains(':', StringComparison.Ordinal);
        var maxPrefix = isV4 ? 32 : 128;
        var prefix = maxPrefix;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out prefix) || prefix > maxPrefix))
        {
            throw Error(sourceName, line, $"'{text[(slash + 1)..]}' is not a prefix length from 0 to {maxPrefix}");
        }

        var bits = isV4 ? prefix + 96 : prefix;
        var hostMask = bits == 0 ? UInt128.MaxValue : (UInt128.One << (128 - bits)) - UInt128.One;
        if ((key & hostMask) != UInt128.Zero)
        {
            throw Error(sourceName, line, $"'{text}' has host bits set: the network is {IpKey.Format(key & ~hostMask)}/{prefix}");
        }

        return (key, key | hostMask);
    }

    private static List<(UInt128 Start, UInt128 End)> Merge(List<(UInt128 Start, UInt128 End)> ranges)
    {
        var merged = new List<(UInt128 Start, UInt128 End)>();
        foreach (var range in ranges.OrderBy(r => r.Start))
        {
            if (merged.Count > 0 && (merged[^1].End == UInt128.MaxValue || range.Start <= merged[^1].End + UInt128.One))
            {
                var last = merged[^1];
                merged[^1] = (last.Start, range.End > last.End ? range.End : last.End);
            }
            else
            {
                merged.Add(range);
            }
        }

        return merged;
    }

    private static FormatException Error(string sourceName, int line, string problem) =>
        new($"{sourceName}:{line}: {problem}");

    private static BotRules LoadDefault()
    {
        using var stream = typeof(BotRules).Assembly.GetManifestResourceStream(DefaultResourceName)
            ?? throw new InvalidOperationException($"embedded resource {DefaultResourceName} is missing");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(reader.ReadToEnd(), DefaultFileName);
    }
}

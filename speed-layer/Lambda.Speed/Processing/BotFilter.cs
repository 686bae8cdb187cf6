using System.IO.Hashing;
using Lambda.SharedModel.Bots;

namespace Lambda.Speed.Processing;

/// <summary>
/// <see cref="BotRules.IsBot"/> with the user-agent verdicts remembered: traffic repeats a few
/// hundred user agents, and a hash plus a byte compare costs a fraction of the rules' widen-and-
/// search. The answer is always the rules' answer for the same bytes (a slot is trusted only when
/// its bytes are equal), so the cache changes nothing but the cost. Allocation-free; one thread.
/// </summary>
internal sealed class BotFilter
{
    private const int Slots = 256;
    private const int MaxAgentBytes = 256;

    private readonly BotRules _rules;
    // Allocated at the first user agent: a processor built only to read a checkpoint never needs them.
    private ulong[] _hashes = [];
    private int[] _lengths = [];
    private bool[] _verdicts = [];
    private byte[] _agents = [];

    public BotFilter(BotRules rules) => _rules = rules;

    public bool IsBot(ReadOnlySpan<byte> ipUtf8, ReadOnlySpan<byte> userAgentUtf8) =>
        _rules.IsBotIp(ipUtf8) || IsBotUserAgent(userAgentUtf8);

    private bool IsBotUserAgent(ReadOnlySpan<byte> agent)
    {
        if (agent.Length > MaxAgentBytes)
        {
            return _rules.IsBotUserAgent(agent);
        }

        if (_hashes.Length == 0)
        {
            _hashes = new ulong[Slots];
            _lengths = new int[Slots];
            // No slot holds an agent yet: -1 equals no length.
            _lengths.AsSpan().Fill(-1);
            _verdicts = new bool[Slots];
            _agents = new byte[Slots * MaxAgentBytes];
        }

        var hash = XxHash3.HashToUInt64(agent);
        var slot = (int)(hash & (Slots - 1));
        var stored = _agents.AsSpan(slot * MaxAgentBytes, MaxAgentBytes);
        if (_hashes[slot] == hash && _lengths[slot] == agent.Length && agent.SequenceEqual(stored[..agent.Length]))
        {
            return _verdicts[slot];
        }

        var verdict = _rules.IsBotUserAgent(agent);
        agent.CopyTo(stored);
        _hashes[slot] = hash;
        _lengths[slot] = agent.Length;
        _verdicts[slot] = verdict;
        return verdict;
    }
}

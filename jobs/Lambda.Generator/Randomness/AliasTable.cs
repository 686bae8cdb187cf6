namespace Lambda.Generator.Randomness;

/// <summary>
/// Walker/Vose alias table: samples a discrete distribution in O(1) from one 64-bit draw
/// (high 32 bits pick a column, low 32 bits decide between the column and its alias).
/// </summary>
internal sealed class AliasTable
{
    private readonly uint[] _threshold;
    private readonly int[] _alias;

    public AliasTable(ReadOnlySpan<double> weights)
    {
        var n = weights.Length;
        _threshold = new uint[n];
        _alias = new int[n];
        var sum = 0.0;
        foreach (var w in weights)
        {
            sum += w;
        }

        var scaled = new double[n];
        var small = new Stack<int>();
        var large = new Stack<int>();
        for (var i = n - 1; i >= 0; i--)
        {
            scaled[i] = weights[i] * n / sum;
            (scaled[i] < 1.0 ? small : large).Push(i);
        }

        while (small.Count > 0 && large.Count > 0)
        {
            var s = small.Pop();
            var l = large.Pop();
            _threshold[s] = (uint)(scaled[s] * 4294967296.0);
            _alias[s] = l;
            scaled[l] = scaled[l] + scaled[s] - 1.0;
            (scaled[l] < 1.0 ? small : large).Push(l);
        }

        // Leftovers have probability 1 up to rounding: they always pick themselves.
        foreach (var i in large.Concat(small))
        {
            _threshold[i] = uint.MaxValue;
            _alias[i] = i;
        }
    }

    public int Count => _alias.Length;

    /// <summary>Weights 1/(k+1)^s for ranks k = 0..n-1: rank 0 is the most frequent.</summary>
    public static AliasTable Zipf(int n, double exponent)
    {
        var weights = new double[n];
        for (var k = 0; k < n; k++)
        {
            weights[k] = 1.0 / Math.Pow(k + 1, exponent);
        }

        return new AliasTable(weights);
    }

    public int Sample(ulong draw)
    {
        var column = (int)(((draw >> 32) * (ulong)(uint)_alias.Length) >> 32);
        return (uint)draw < _threshold[column] ? column : _alias[column];
    }
}

namespace Lambda.SharedModel.Sketches;

public sealed partial class HyperLogLog
{
    // alpha_inf = 1 / (2 ln 2), the limit of the HLL bias constant as m grows.
    private const double AlphaInfinity = 0.721347520444481703680;

    /// <summary>
    /// Estimated number of distinct users, rounded. Uses Ertl's improved estimator ("New cardinality
    /// estimation algorithms for HyperLogLog sketches", 2017, also used by Redis), which corrects for
    /// empty and saturated registers in closed form: unbiased over the whole range, with no
    /// linear-counting switch-over and no empirical bias tables, within about 1.04/sqrt(m) relative error.
    /// </summary>
    public long Estimate()
    {
        Span<int> histogram = stackalloc int[MaxRho + 1];
        if (_dense is { } dense)
        {
            // Four interleaved histograms: most registers hold the same few values, and a single
            // histogram would serialize on incrementing the same counter.
            Span<int> lanes = stackalloc int[4 * 64];
            for (var i = 0; i < RegisterCount; i += 4)
            {
                lanes[dense[i]]++;
                lanes[64 + dense[i + 1]]++;
                lanes[128 + dense[i + 2]]++;
                lanes[192 + dense[i + 3]]++;
            }

            for (var value = 0; value <= MaxRho; value++)
            {
                histogram[value] = lanes[value] + lanes[64 + value] + lanes[128 + value] + lanes[192 + value];
            }
        }
        else
        {
            histogram[0] = RegisterCount - _sparseCount;
            foreach (var entry in _sparse.AsSpan(0, _sparseCount))
            {
                histogram[(int)(entry & RhoMask)]++;
            }
        }

        return (long)Math.Round(EstimateFromHistogram(histogram), MidpointRounding.AwayFromZero);
    }

    /// <summary>Ertl's estimator over the count of registers holding each value 0..q+1 (q = 50).</summary>
    private static double EstimateFromHistogram(ReadOnlySpan<int> histogram)
    {
        const double M = RegisterCount;
        const int Q = HashBitsAfterIndex;
        var z = M * Tau((M - histogram[Q + 1]) / M);
        for (var k = Q; k >= 1; k--)
        {
            z = 0.5 * (z + histogram[k]);
        }

        z += M * Sigma(histogram[0] / M);
        return AlphaInfinity * M * M / z;
    }

    // sigma(x) = x + sum_{k>=1} x^(2^k) 2^(k-1); infinite for x = 1 (all registers empty: estimate 0).
    private static double Sigma(double x)
    {
        if (x == 1.0)
        {
            return double.PositiveInfinity;
        }

        var y = 1.0;
        var z = x;
        double previous;
        do
        {
            x *= x;
            previous = z;
            z += x * y;
            y += y;
        }
        while (z != previous);
        return z;
    }

    // tau(x) = (1/3) (1 - x - sum_{k>=1} (1 - x^(2^-k))^2 2^-k); corrects for saturated registers.
    private static double Tau(double x)
    {
        if (x == 0.0 || x == 1.0)
        {
            return 0.0;
        }

        var y = 1.0;
        var z = 1.0 - x;
        double previous;
        do
        {
            x = Math.Sqrt(x);
            previous = z;
            y *= 0.5;
            z -= (1.0 - x) * (1.0 - x) * y;
        }
        while (z != previous);
        return z / 3.0;
    }
}

namespace Alignment.Benchmarks.Scoring;

/// <summary>
/// A small deterministic pseudo-random generator (SplitMix64) for the peer workload. Unlike <see cref="Random"/>, its sequence is
/// fixed by this file alone, so a seed gives the same leads on every machine and runtime version. The helpers use only
/// IEEE-754 basic operations and <see cref="Math.Sqrt"/> (correctly rounded), never <see cref="Math.Exp"/> or <see cref="Math.Pow"/>,
/// whose last bit may differ between platforms.
/// </summary>
/// <remarks>Not thread-safe: one instance per generating thread.</remarks>
public sealed class PeerRandom
{
    private const double TwoToMinus53 = 1.0 / (1UL << 53);
    private ulong _state;

    /// <summary>Creates a generator.</summary>
    /// <param name="seed">The seed; the same seed always gives the same sequence.</param>
    public PeerRandom(ulong seed) => _state = seed;

    /// <summary>The next 64 random bits.</summary>
    /// <returns>A uniformly distributed 64-bit value.</returns>
    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform number <c>u</c> in [0, 1) with 53 random bits.</summary>
    /// <returns>The number.</returns>
    public double NextDouble() => (NextUInt64() >> 11) * TwoToMinus53;

    /// <summary>A uniform integer in [0, <paramref name="count"/>).</summary>
    /// <param name="count">The number of possible values; positive.</param>
    /// <returns>The integer.</returns>
    public int NextInt(int count) => (int)(NextDouble() * count);

    /// <summary>The workload's skewed count <c>floor(u^2.5 * (max + 1))</c>, computed as <c>u * u * sqrt(u)</c>.</summary>
    /// <param name="max">The largest possible count.</param>
    /// <returns>A count in 0..<paramref name="max"/>, small values far more likely.</returns>
    public int NextSkewed(int max)
    {
        double u = NextDouble();
        return (int)Math.Floor(u * u * Math.Sqrt(u) * (max + 1));
    }

    /// <summary>
    /// <c>e^x</c> for 0 ≤ x &lt; 64 from basic operations only: <c>e^n</c> by repeated multiplication, the fraction by its
    /// Taylor series (relative error about 1e-15, and bit-for-bit the same everywhere).
    /// </summary>
    /// <param name="x">The exponent, in [0, 64).</param>
    /// <returns>An approximation of <c>e^x</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="x"/> is outside [0, 64).</exception>
    public static double DeterministicExp(double x)
    {
        if (!(x >= 0 && x < 64))
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "The exponent must be in [0, 64).");
        }

        int whole = (int)x;
        double fraction = x - whole;
        double result = 1;
        for (int i = 0; i < whole; i++)
        {
            result *= Math.E;
        }

        double term = 1;
        double sum = 1;
        for (int k = 1; k <= 24; k++)
        {
            term = term * fraction / k;
            sum += term;
        }

        return result * sum;
    }
}

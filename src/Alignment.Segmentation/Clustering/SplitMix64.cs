namespace Alignment.Segmentation.Clustering;

/// <summary>A tiny, fully specified pseudo-random generator (SplitMix64), so that a seed gives the same numbers on every .NET version.</summary>
internal struct SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed, ulong stream)
    {
        _state = seed ^ (0x9E3779B97F4A7C15UL * (stream + 1));
        _ = NextUInt64();
    }

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>An integer in [0, maxExclusive).</summary>
    public int NextInt(int maxExclusive) => (int)(NextDouble() * maxExclusive);
}

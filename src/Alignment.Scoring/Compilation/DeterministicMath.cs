namespace Alignment.Scoring.Compilation;

/// <summary>
/// Math that gives the same bits on every machine: only IEEE-754 basic operations (which are correctly rounded everywhere),
/// no calls into the platform's libm, whose <c>pow</c>/<c>exp</c> may differ in the last bit between systems.
/// </summary>
internal static class DeterministicMath
{
    private const double Ln2 = 0.69314718055994530942;

    /// <summary>2^x for x ≤ 0 (the decay factor), deterministic.</summary>
    public static double Exp2NonPositive(double x)
    {
        if (x >= 0)
        {
            return 1d;
        }

        if (x < -1074)
        {
            return 0d;
        }

        double n = Math.Floor(x); // exact
        double f = x - n;         // in [0, 1), exact for these magnitudes
        // e^(f ln 2) by its Taylor series in a fixed order: 25 terms are far below double precision for f ln 2 < 0.7.
        double y = f * Ln2;
        double term = 1d, sum = 1d;
        for (int k = 1; k <= 25; k++)
        {
            term = term * y / k;
            sum += term;
        }

        // Multiply by 2^n exactly, one halving at a time (exact in binary floating point until subnormals).
        for (int i = 0; i > (int)n; i--)
        {
            sum *= 0.5;
        }

        return sum;
    }

    /// <summary>Rounds points × factor to whole hundredths, halves away from zero.</summary>
    public static long ScaleHundredths(long hundredths, double factor) => (long)Math.Round(hundredths * factor, MidpointRounding.AwayFromZero);

    /// <summary>Converts hundredths of a point to an exact decimal.</summary>
    public static decimal ToDecimal(long hundredths)
    {
        bool negative = hundredths < 0;
        ulong u = negative ? (ulong)(-hundredths) : (ulong)hundredths;
        return new decimal((int)(uint)u, (int)(uint)(u >> 32), 0, negative, 2);
    }

    /// <summary>Converts points (at most two decimals, checked by validation) to hundredths.</summary>
    public static long ToHundredths(decimal points) => (long)decimal.Round(points * 100m, 0, MidpointRounding.AwayFromZero);
}

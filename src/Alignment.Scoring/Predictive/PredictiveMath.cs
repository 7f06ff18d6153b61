using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Alignment.Scoring.Tests")]

namespace Alignment.Scoring.Predictive;

/// <summary>The arithmetic of Odoo's predictive lead scoring: smoothing, rounding and clamping.</summary>
internal static class PredictiveMath
{
    /// <summary>What every existing row adds to both its won and its lost count.</summary>
    public const double Smoothing = 0.1;

    /// <summary>The lowest probability a scored lead gets, in percent.</summary>
    public const double MinProbability = 0.01;

    /// <summary>The highest probability a scored lead gets, in percent.</summary>
    public const double MaxProbability = 99.99;

    /// <summary>
    /// Rounds a non-negative finite value to two decimals exactly as Python's <c>round(x, 2)</c> does: the exact binary value is
    /// rounded, ties to even. (<see cref="Math.Round(double, int)"/> scales by 100 first, which can move a value across a tie.)
    /// </summary>
    public static double RoundToCents(double value)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            return value;
        }

        var bits = BitConverter.DoubleToInt64Bits(value);
        var biasedExponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = (ulong)bits & 0xF_FFFF_FFFF_FFFFUL;
        if (biasedExponent == 0)
        {
            biasedExponent = 1;
        }
        else
        {
            mantissa |= 1UL << 52;
        }

        var exponent = biasedExponent - 1075; // value = mantissa * 2^exponent, exactly
        if (exponent >= 0)
        {
            return value; // an integer (at least 2^52): nothing to round
        }

        var shift = -exponent;
        var scaled = (UInt128)mantissa * 100; // value * 100 = scaled / 2^shift, below 2^60 / 2^shift
        if (shift >= 64)
        {
            return 0; // value * 100 < 2^-4: rounds to 0
        }

        var quotient = scaled >> shift;
        var remainder = scaled - (quotient << shift);
        var half = (UInt128)1 << (shift - 1);
        if (remainder > half || (remainder == half && (quotient & 1) == 1))
        {
            quotient++;
        }

        return (double)quotient / 100;
    }

    /// <summary>Turns the won and lost scores into the published probability: 100 * won / (won + lost), rounded, clamped.</summary>
    public static double ToProbability(double won, double lost)
        => Math.Clamp(RoundToCents(100 * won / (won + lost)), MinProbability, MaxProbability);
}

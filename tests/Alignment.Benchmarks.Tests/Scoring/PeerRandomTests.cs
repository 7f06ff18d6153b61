using Alignment.Benchmarks.Scoring;

namespace Alignment.Benchmarks.Tests.Scoring;

public sealed class PeerRandomTests
{
    [Fact]
    public void NextUInt64_SeedZero_MatchesTheSplitMix64ReferenceSequence()
    {
        // The published SplitMix64 outputs for seed 0.
        var random = new PeerRandom(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, random.NextUInt64());
        Assert.Equal(0x6E789E6AA1B965F4UL, random.NextUInt64());
        Assert.Equal(0x06C45D188009454FUL, random.NextUInt64());
    }

    [Fact]
    public void NextDouble_ManyDraws_StayInUnitIntervalWithMeanNearHalf()
    {
        var random = new PeerRandom(7);
        double sum = 0;
        for (int i = 0; i < 100_000; i++)
        {
            double u = random.NextDouble();
            Assert.InRange(u, 0, 0.9999999999999999);
            sum += u;
        }

        Assert.InRange(sum / 100_000, 0.495, 0.505);
    }

    [Fact]
    public void NextSkewed_Max30_StaysInRangeAndFollowsThePowerLaw()
    {
        var random = new PeerRandom(11);
        int atLeastFive = 0;
        for (int i = 0; i < 100_000; i++)
        {
            int value = random.NextSkewed(30);
            Assert.InRange(value, 0, 30);
            if (value >= 5)
            {
                atLeastFive++;
            }
        }

        // P(floor(u^2.5 * 31) >= 5) = 1 - (5/31)^0.4 = 0.518.
        Assert.InRange(atLeastFive / 100_000.0, 0.508, 0.528);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(5.298317366548036)]
    [InlineData(11.512925464970229)]
    public void DeterministicExp_Exponent_AgreesWithMathExp(double x)
    {
        double expected = Math.Exp(x);
        Assert.InRange(PeerRandom.DeterministicExp(x), expected * (1 - 1e-13), expected * (1 + 1e-13));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(64.0)]
    [InlineData(double.NaN)]
    public void DeterministicExp_ExponentOutOfRange_Throws(double x) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PeerRandom.DeterministicExp(x));
}

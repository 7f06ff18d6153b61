using Alignment.Scoring.Predictive;

namespace Alignment.Scoring.Tests.Predictive;

public sealed class PredictiveMathTests
{
    [Theory]
    [InlineData(12.125, 12.12)] // exact binary tie: to even, as Python's round
    [InlineData(12.375, 12.38)] // exact binary tie: to even
    [InlineData(0.125, 0.12)]
    [InlineData(0.285, 0.28)] // 0.28499999999999998... in binary
    [InlineData(1.005, 1.0)] // 1.00499999999999989...
    [InlineData(2.675, 2.67)] // 2.67499999999999982...
    [InlineData(0.005, 0.01)] // 0.005000000000000000104...
    [InlineData(64.70588235294117, 64.71)]
    [InlineData(99.995, 100.0)] // 99.99500000000000454...
    [InlineData(0, 0)]
    [InlineData(100, 100)]
    [InlineData(1e-300, 0)]
    public void RoundToCents_RoundsLikePython(double value, double expected)
        => Assert.Equal(expected, PredictiveMath.RoundToCents(value));

    [Theory]
    [InlineData(1, 1, 50)]
    [InlineData(1, 1e9, 0.01)]
    [InlineData(1e9, 1, 99.99)]
    [InlineData(1, 3, 25)]
    public void ToProbability_RoundsThenClamps(double won, double lost, double expected)
        => Assert.Equal(expected, PredictiveMath.ToProbability(won, lost));
}

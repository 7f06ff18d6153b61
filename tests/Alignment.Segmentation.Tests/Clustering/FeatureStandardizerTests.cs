using Alignment.Segmentation.Clustering;

namespace Alignment.Segmentation.Tests.Clustering;

public sealed class FeatureStandardizerTests
{
    [Fact]
    public void Fit_MeasuresMeanAndPopulationStandardDeviation()
    {
        var s = FeatureStandardizer.Fit([1, 10, 3, 30], dimensions: 2);

        Assert.Equal([2.0, 20.0], s.Means.ToArray());
        Assert.Equal([1.0, 10.0], s.StandardDeviations.ToArray());
    }

    [Fact]
    public void Fit_ValuesWhoseSpreadOverflows_AreRefusedNamingTheFeature_NotAnInvalidStandardizer()
    {
        var e = Assert.Throws<ArgumentException>(() => FeatureStandardizer.Fit([1, -1e308, 2, 1e308, 3, 250_000_000], dimensions: 2));

        Assert.StartsWith("Feature 1: the values are too large to standardise", e.Message, StringComparison.Ordinal);
        Assert.Equal("values", e.ParamName);
    }
}

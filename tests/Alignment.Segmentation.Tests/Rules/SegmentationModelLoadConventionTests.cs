using Alignment.Models;
using Alignment.Segmentation.Rules;

namespace Alignment.Segmentation.Tests.Rules;

/// <summary>The one loading convention (issue 15) as segmentation models follow it: Load throws one ModelException, TryLoad returns the same errors.</summary>
public sealed class SegmentationModelLoadConventionTests
{
    private const string Broken = """{ "id": "m", "version": "1", "segments": [ { "id": "", "when": [] } ] }""";

    [Fact]
    public void Load_and_TryLoad_give_the_same_errors_and_name_the_document()
    {
        var options = new SegmentationLoadOptions { Document = "segments.json" };

        var ex = Assert.Throws<ModelException>(() => SegmentationModel.Load(Broken, options));
        Assert.False(SegmentationModel.TryLoad(Broken, options, out var model, out var errors));

        Assert.Null(model);
        Assert.Equal("segments.json", ex.Document);
        Assert.NotEmpty(errors);
        Assert.Equal(ex.Errors.ToArray(), errors.ToArray());
        Assert.All(errors, e => Assert.StartsWith("$", e.Path, StringComparison.Ordinal));
    }

    [Fact]
    public void TryLoad_returns_the_model_and_no_errors_for_a_valid_model()
    {
        Assert.True(SegmentationModel.TryLoad(TestData.ModelJson, null, out var model, out var errors));
        Assert.NotNull(model);
        Assert.Empty(errors);
        Assert.Equal(model.Definitions.Length, SegmentationModel.Compile(SegmentationModelLoader.ReadDocument(TestData.ModelJson)).Definitions.Length);
    }

    [Fact]
    public void A_null_text_is_a_caller_bug() =>
        Assert.Throws<ArgumentNullException>(() => SegmentationModel.Load(null!));
}

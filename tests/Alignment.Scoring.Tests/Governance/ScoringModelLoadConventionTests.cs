using Alignment.Models;
using Alignment.Scoring.Definitions;
using Alignment.Scoring.Governance;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.Scoring.Tests.Governance;

/// <summary>The one loading convention (issue 15) as scoring models and releases follow it: Load throws one ModelException, TryLoad returns the same errors.</summary>
public sealed class ScoringModelLoadConventionTests
{
    private static readonly string ModelJson = TestData.Model("""
        "fit": [ {"id": "software", "points": 15, "when": {"field": "company.industry", "equals": "Software"}} ]
        """);

    private static readonly string BrokenJson = TestData.Model("""
        "fit": [ {"id": "software", "points": "many", "when": {"field": "company.industry", "equals": "Software"}} ]
        """);

    [Fact]
    public void TryLoad_returns_the_model_and_no_errors_for_a_valid_model()
    {
        bool loaded = ScoringModel.TryLoad(ModelJson, new ScoringModelOptions { Schema = TestData.Schema }, out var model, out var errors);
        Assert.True(loaded, string.Join("; ", errors));
        Assert.NotNull(model);
        Assert.Empty(errors);
    }

    [Fact]
    public void TryLoad_returns_exactly_the_errors_Load_throws()
    {
        var options = new ScoringModelOptions { Document = "broken.json" };
        var thrown = Assert.Throws<ModelException>(() => ScoringModel.Load(BrokenJson, options));

        Assert.False(ScoringModel.TryLoad(BrokenJson, options, out var model, out var errors));

        Assert.Null(model);
        Assert.Equal("broken.json", thrown.Document);
        Assert.NotEmpty(errors);
        Assert.Equal(thrown.Errors.ToArray(), errors.ToArray());
        Assert.StartsWith("$.fit[0].points", errors[0].Path, StringComparison.Ordinal);
    }

    [Fact]
    public void TryLoad_refuses_null_json_as_a_caller_bug() =>
        Assert.Throws<ArgumentNullException>(() => ScoringModel.TryLoad(null!, null, out _, out _));

    [Fact]
    public void A_release_loads_writes_and_loads_back_through_the_same_convention()
    {
        var time = new FakeTimeProvider(TestData.Now);
        var release = ScoringModelRelease.Load(ModelJson, new ModelLoadOptions { Document = "model.json" })
            .Approve("mia@example.com", ApprovalSide.Marketing, time)
            .Approve("sam@example.com", ApprovalSide.Sales, time);

        Assert.True(ScoringModelRelease.TryLoad(release.ToJson(), null, out var read, out var errors));

        Assert.Empty(errors);
        Assert.Equal(release.ContentHash, read.ContentHash);
        Assert.True(read.IsPublishable);
    }

    [Fact]
    public void A_broken_release_gives_its_errors_with_the_document_name()
    {
        var ex = Assert.Throws<ModelException>(() => ScoringModelRelease.Load(BrokenJson, new ModelLoadOptions { Document = "r.json" }));
        Assert.False(ScoringModelRelease.TryLoad(BrokenJson, new ModelLoadOptions { Document = "r.json" }, out var release, out var errors));

        Assert.Null(release);
        Assert.Equal("r.json", ex.Document);
        Assert.Equal(ex.Errors.ToArray(), errors.ToArray());
    }
}

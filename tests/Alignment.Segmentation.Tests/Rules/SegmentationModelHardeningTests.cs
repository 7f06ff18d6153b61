using System.Text;
using Alignment.Models;
using Alignment.Segmentation.Rules;

namespace Alignment.Segmentation.Tests.Rules;

// Issue 13: a segmentation model is read safely: duplicate properties, control characters in identifiers, sizes that feed the
// compiler's loops and tables, and files over a limit are refused, each with its JSON path.
public sealed class SegmentationModelHardeningTests
{
    private const string Valid = """
        { "id": "m", "segments": [ { "id": "big", "when": [ { "field": "company.employeeCount", "atLeast": 1000 } ] } ], "default": { "id": "rest" } }
        """;

    [Fact]
    public void Load_ValidModel_StillLoads()
    {
        Assert.Equal("big", Assert.Single(SegmentationModelLoader.Load(Valid, null).Definitions).Id.Value);
    }

    [Fact]
    public void Load_DuplicateProperty_IsRefusedWithItsPath()
    {
        const string json = """
            { "id": "m", "segments": [ { "id": "big", "when": [ { "field": "company.employeeCount", "atLeast": 1000, "atLeast": 0 } ] } ], "default": { "id": "rest" } }
            """;

        var ex = Assert.Throws<ModelException>(() => SegmentationModelLoader.Load(json, null));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("$.segments[0].when[0].atLeast", error.Path);
        Assert.Contains("appears more than once", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadDocument_DuplicateProperty_IsRefusedWithItsPath()
    {
        var ex = Assert.Throws<ModelException>(() => SegmentationModelLoader.ReadDocument("""{ "id": "a", "id": "b" }"""));
        Assert.Equal("$.id", Assert.Single(ex.Errors).Path);
    }

    [Theory]
    [InlineData("""{ "id": "m", "segments": [ { "id": "b\tig", "when": [ { "field": "company.employeeCount", "atLeast": 1000 } ] } ], "default": { "id": "rest" } }""", "$.segments[0].id", "U+0009")]
    [InlineData("""{ "id": "m", "segments": [ { "id": "big", "when": [ { "field": "company.industry", "in": ["Soft\nware"] } ] } ], "default": { "id": "rest" } }""", "$.segments[0].when[0].in[0]", "U+000A")]
    [InlineData("""{ "id": "m", "segments": [ { "id": "big", "when": [ { "field": "company.employeeCount", "atLeast": 1000 } ] } ], "default": { "id": "re\rst" } }""", "$.default.id", "U+000D")]
    [InlineData("""{ "id": "m", "bands": [ { "name": "size\tBand", "field": "company.employeeCount", "values": [ { "name": "a", "below": 10 } ] } ], "segments": [], "default": { "id": "rest" } }""", "$.bands[0].name", "U+0009")]
    [InlineData("""{ "id": "m", "segments": [ { "id": "big\u202Egib", "when": [ { "field": "company.employeeCount", "atLeast": 1000 } ] } ], "default": { "id": "rest" } }""", "$.segments[0].id", "U+202E")]
    public void Load_ControlCharacterInAnIdentifier_IsRefusedWithItsPath(string json, string path, string character)
    {
        Assert.False(SegmentationModelLoader.TryLoad(json, null, out _, out var errors));

        var error = Assert.Single(errors);
        Assert.Equal(path, error.Path);
        Assert.Contains(character, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TabsAndLineBreaksInFreeText_AreKept()
    {
        const string json = """
            { "id": "m", "segments": [ { "id": "big", "description": "Line one\nline two\tand a tab",
              "when": [ { "field": "company.employeeCount", "atLeast": 1000 } ], "playbook": { "valueProposition": "One\nTwo" } } ], "default": { "id": "rest" } }
            """;

        var model = SegmentationModelLoader.Load(json, null);

        Assert.Equal("Line one\nline two\tand a tab", Assert.Single(model.Definitions).Description);
    }

    [Fact]
    public void Load_TooManySegments_IsRefusedWithPathAndRange()
    {
        var sb = new StringBuilder("""{ "id": "m", "segments": [""");
        for (int i = 0; i < 501; i++)
        {
            sb.Append(i > 0 ? "," : "").Append($$"""{ "id": "s{{i}}", "when": [ { "field": "company.employeeCount", "atLeast": {{i}}, "below": {{i + 1}} } ] }""");
        }

        sb.Append("""], "default": { "id": "rest" } }""");

        var ex = Assert.Throws<ModelException>(() => SegmentationModelLoader.Load(sb.ToString(), null));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("$.segments", error.Path);
        Assert.Equal("There are 501 segment definitions; the allowed range is 0 to 500.", error.Message);
    }

    [Fact]
    public void Load_TooManyCentroids_IsRefusedWithPathAndRange()
    {
        var centroids = string.Join(",", Enumerable.Range(0, 101).Select(i => $$"""{ "label": "c{{i}}", "values": [{{i}}] }"""));
        string json = $$"""
            { "id": "m", "clusterings": [ { "id": "k", "features": ["company.employeeCount"], "means": [0], "standardDeviations": [1], "centroids": [{{centroids}}] } ],
              "segments": [ { "id": "a", "when": [ { "field": "cluster.k", "in": ["c0"] } ] } ], "default": { "id": "rest" } }
            """;

        var ex = Assert.Throws<ModelException>(() => SegmentationModelLoader.Load(json, null));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("$.clusterings[0].centroids", error.Path);
        Assert.Equal("There are 101 centroids; the allowed range is 0 to 100.", error.Message);
    }

    [Fact]
    public void Load_TooManyBands_IsRefusedWithPathAndRange()
    {
        var bands = string.Join(",", Enumerable.Range(0, 101).Select(i => $$"""{ "name": "b{{i}}", "atLeast": {{i}}, "below": {{i + 1}} }"""));
        string json = $$"""
            { "id": "m", "bands": [ { "name": "size", "field": "company.employeeCount", "values": [{{bands}}] } ],
              "segments": [ { "id": "a", "when": [ { "field": "size", "in": ["b0"] } ] } ], "default": { "id": "rest" } }
            """;

        Assert.False(SegmentationModelLoader.TryLoad(json, null, out _, out var errors));

        var error = Assert.Single(errors);
        Assert.Equal("$.bands[0].values", error.Path);
        Assert.Equal("There are 101 bands; the allowed range is 0 to 100.", error.Message);
    }

    [Fact]
    public void Load_FileOverTheByteLimit_IsRefusedNamingTheLimit()
    {
        var options = new SegmentationLoadOptions { Limits = new ModelReadLimits { MaxBytes = 64 } };

        var ex = Assert.Throws<ModelException>(() => SegmentationModelLoader.Load(Valid, options));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("$", error.Path);
        Assert.Contains("ModelReadLimits.MaxBytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_StringOverTheDefaultLimit_IsRefusedNamingTheLimit()
    {
        string json = Valid.Replace("\"big\"", "\"" + new string('x', ModelReadLimits.DefaultMaxStringLength + 1) + "\"", StringComparison.Ordinal);

        var ex = Assert.Throws<ModelException>(() => SegmentationModelLoader.Load(json, null));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("$.segments[0].id", error.Path);
        Assert.Contains("ModelReadLimits.MaxStringLength", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadDocument_ArrayOverTheLimit_IsRefusedNamingTheLimit()
    {
        var ex = Assert.Throws<ModelException>(() =>
            SegmentationModelLoader.ReadDocument("""{ "id": "m", "segments": [ {}, {}, {} ] }""", new ModelReadLimits { MaxArrayLength = 2 }));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("$.segments", error.Path);
        Assert.Contains("ModelReadLimits.MaxArrayLength", error.Message, StringComparison.Ordinal);
    }
}

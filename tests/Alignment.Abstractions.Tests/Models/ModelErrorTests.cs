using System.Text.Json;
using Alignment.Models;

namespace Alignment.Abstractions.Tests.Models;

public sealed class ModelErrorTests
{
    [Fact]
    public void ToString_writes_the_path_the_message_and_the_suggestion()
    {
        Assert.Equal("$.fit[0].when.field: unknown field 'employeeCount'", new ModelError("$.fit[0].when.field", "unknown field 'employeeCount'").ToString());
        Assert.Equal(
            "$.fit[0].when.field: unknown field 'employeeCount' (did you mean 'company.employeeCount'?)",
            new ModelError("$.fit[0].when.field", "unknown field 'employeeCount'") { Suggestion = "did you mean 'company.employeeCount'?" }.ToString());
    }

    [Fact]
    public void FromJsonException_keeps_the_path_and_position_and_drops_the_readers_location_text()
    {
        var ex = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<Dictionary<string, int>>("{\n  \"a\": \"text\"\n}"));

        var error = ModelError.FromJsonException(ex);

        Assert.Equal("$.a (line 2, position 14)", error.Path);
        Assert.DoesNotContain("Path:", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error.Message, StringComparison.Ordinal);
        Assert.False(error.Message.EndsWith('.'));
        Assert.NotEmpty(error.Message);
    }

    [Fact]
    public void A_model_exception_names_the_document_and_lists_every_error()
    {
        var ex = new ModelException("models/scoring.json", [new ModelError("$.id", "is required"), new ModelError("$.fit[2].points", "must be a number")]);

        Assert.Equal("models/scoring.json", ex.Document);
        Assert.Equal(2, ex.Errors.Length);
        Assert.Equal(
            $"'models/scoring.json' is not a valid model (2 problems):{Environment.NewLine}  $.id: is required{Environment.NewLine}  $.fit[2].points: must be a number",
            ex.Message);
    }

    [Fact]
    public void A_model_exception_needs_at_least_one_error_and_no_null_one()
    {
        Assert.Throws<ArgumentException>(() => new ModelException("m", []));
        Assert.Throws<ArgumentNullException>(() => new ModelException("m", [null!]));
        Assert.Throws<ArgumentNullException>(() => new ModelException(null!, [new ModelError("$", "x")]));
    }
}

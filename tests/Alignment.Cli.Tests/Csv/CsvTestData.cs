using Alignment.Leads;
using Alignment.Scoring;

namespace Alignment.Cli.Tests.Csv;

/// <summary>The custom attributes and the model the CSV reader tests read history files against.</summary>
internal static class CsvTestData
{
    /// <summary>A number, a flag and a text attribute, as <see cref="Model"/> declares them.</summary>
    public static readonly AttributeSchema Schema = new(
    [
        new AttributeDefinition("intentScore", AttributeKind.Number),
        new AttributeDefinition("isCustomer", AttributeKind.Boolean),
        new AttributeDefinition("plan", AttributeKind.Text),
    ]);

    /// <summary>Wraps rule sections into a full model document that declares the attributes of <see cref="Schema"/>.</summary>
    /// <param name="sections">The rule sections, for example <c>"fit": []</c>.</param>
    /// <returns>The model JSON.</returns>
    public static string Model(string sections) => $$"""
        {
          "id": "test", "version": "1.0.0",
          "attributes": [ {"name": "intentScore", "type": "number"}, {"name": "isCustomer", "type": "boolean"}, {"name": "plan", "type": "text"} ],
          "thresholds": { "mql": {"score": 50, "minGrade": "C"}, "hot": {"score": 100, "minGrade": "B"} },
          {{sections}}
        }
        """;

    /// <summary>Compiles <see cref="Model"/> of the given sections against <see cref="Schema"/>.</summary>
    /// <param name="sections">The rule sections.</param>
    /// <returns>The compiled model.</returns>
    public static ScoringModel Compile(string sections) => ScoringModel.Load(Model(sections), new ScoringModelOptions { Schema = Schema });
}

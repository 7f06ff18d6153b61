using Alignment.Leads;
using Alignment.Scoring;

namespace Microsoft.Extensions.DependencyInjection;

internal static class ScoringServiceFactory
{
    public static ScoringModel Load(LeadScoringOptions options, AttributeSchema schema, IEnumerable<IScoringRule> plugins)
    {
        string json = string.IsNullOrWhiteSpace(options.ModelJson) ? File.ReadAllText(options.ModelPath!) : options.ModelJson;
        return ScoringModel.Load(json, new ScoringModelOptions { Schema = schema, PluginRules = [.. plugins], Source = options.ModelPath ?? "LeadScoringOptions.ModelJson" });
    }
}
